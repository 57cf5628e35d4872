package lab.appliance.inventory;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import lab.config.model.DeviceProfile;
import lab.config.model.VmRecord;

/**
 * The VMs the appliance knows: the records under {@code vms:}, the device profiles, and the profile each unlisted
 * VM was given. A VM's profile is its record's; else the one it was given before; else the first profile whose
 * match rule fits its MAC prefix or DHCP vendor class; else the default profile. Once given, a profile and number
 * stay with the MAC (kept in the state directory), so generated hostnames never change.
 */
public final class Inventory {

    private final Map<String, VmRecord> records = new LinkedHashMap<>();
    private final Map<String, DeviceProfile> profiles = new LinkedHashMap<>();
    private final Optional<String> defaultProfile;
    private final ProfileAssignments assignments;

    public Inventory(List<VmRecord> vms, List<DeviceProfile> profiles, Optional<String> defaultProfile,
                     ProfileAssignments assignments) {
        vms.forEach(vm -> records.put(vm.mac(), vm));
        profiles.forEach(p -> this.profiles.put(p.name(), p));
        this.defaultProfile = Objects.requireNonNull(defaultProfile, "defaultProfile");
        this.assignments = Objects.requireNonNull(assignments, "assignments");
    }

    /** Who {@code mac} is; {@code vendorClass} is the DHCP option 60 when a request is in hand. */
    public VmIdentity identify(String mac, Optional<String> vendorClass) {
        Optional<VmRecord> record = Optional.ofNullable(records.get(mac));
        Optional<DeviceProfile> profile = record.flatMap(VmRecord::profile).map(profiles::get)
                .or(() -> assignments.of(mac).map(a -> profiles.get(a.profile())))
                .or(() -> matching(mac, vendorClass))
                .or(() -> defaultProfile.map(profiles::get));
        int seq = 0;
        if (profile.isPresent()) {
            seq = numberFor(mac, profile.get());
        }
        String instanceId = record.flatMap(VmRecord::instanceId).orElseGet(() -> derivedInstanceId(mac));
        return new VmIdentity(mac, record, profile, seq, instanceId);
    }

    /** The stable instance-id of a MAC without a configured one: {@code i-} and the MAC's hex digits. */
    public static String derivedInstanceId(String mac) {
        return "i-" + mac.replace(":", "").toLowerCase(Locale.ROOT);
    }

    private Optional<DeviceProfile> matching(String mac, Optional<String> vendorClass) {
        return firstMatching(profiles.values(), mac, vendorClass);
    }

    /** The first of {@code profiles} whose match rule fits {@code mac} or {@code vendorClass}, as DHCP assigns them. */
    public static Optional<DeviceProfile> firstMatching(Collection<DeviceProfile> profiles, String mac,
                                                        Optional<String> vendorClass) {
        for (DeviceProfile p : profiles) {
            boolean byMac = p.macPrefix().map(mac::startsWith).orElse(false);
            boolean byVendor = p.vendorClass().flatMap(prefix -> vendorClass.map(vc -> vc.startsWith(prefix))).orElse(false);
            if (byMac || byVendor) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private int numberFor(String mac, DeviceProfile profile) {
        return assignments.assign(mac, profile.name()).seq();
    }
}
