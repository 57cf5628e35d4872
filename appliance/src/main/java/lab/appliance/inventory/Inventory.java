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
 *
 * <p>Giving is one step, {@link #assign}, taken by the DHCP engine with the client's vendor class in hand; it is the
 * only writer of the {@link ProfileAssignments}. Everything else reads with {@link #identify}, which never gives: a
 * read before the engine has seen the VM would otherwise decide without the vendor class, for good.
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

    /**
     * Who {@code mac} is, giving it a profile and number if it has none yet: the DHCP engine's step, with the request
     * in hand.
     *
     * @param vendorClass the request's option 60, if any
     */
    public VmIdentity assign(String mac, Optional<String> vendorClass) {
        Optional<DeviceProfile> profile = given(mac)
                .or(() -> matching(mac, vendorClass))
                .or(() -> defaultProfile.map(profiles::get));
        int seq = profile.map(p -> assignments.assign(mac, p.name()).seq()).orElse(0);
        return identity(mac, profile, seq);
    }

    /**
     * Who {@code mac} is as far as it has been decided; gives nothing. A VM the DHCP engine has not looked up yet has
     * only its record's profile, unnumbered (seq 0), and without a record no profile.
     */
    public VmIdentity identify(String mac) {
        Optional<ProfileAssignments.Assignment> assignment = assignments.of(mac);
        Optional<DeviceProfile> profile = given(mac);
        if (profile.isEmpty() && assignment.isPresent()) {
            // Its profile left the config: what assign() falls back to, short of the vendor class it has no longer.
            profile = matching(mac, Optional.empty()).or(() -> defaultProfile.map(profiles::get));
        }
        int seq = profile.isPresent() ? assignment.map(ProfileAssignments.Assignment::seq).orElse(0) : 0;
        return identity(mac, profile, seq);
    }

    /**
     * Whether {@code mac} is one of the lab's own: it has a record, a profile's match rule fits it or this request's
     * vendor class, or it was given a profile other than the default one before (a match then, perhaps by a vendor
     * class this message does not carry). A MAC only the default profile would catch is a stranger. Gives nothing.
     */
    public boolean knows(String mac, Optional<String> vendorClass) {
        if (records.containsKey(mac) || matching(mac, vendorClass).isPresent()) {
            return true;
        }
        return assignments.of(mac).map(ProfileAssignments.Assignment::profile)
                .filter(profile -> !defaultProfile.equals(Optional.of(profile))).isPresent();
    }

    /** The stable instance-id of a MAC without a configured one: {@code i-} and the MAC's hex digits. */
    public static String derivedInstanceId(String mac) {
        return "i-" + mac.replace(":", "").toLowerCase(Locale.ROOT);
    }

    /** Its record's profile, else the one it was given, if that is still configured. */
    private Optional<DeviceProfile> given(String mac) {
        return Optional.ofNullable(records.get(mac)).flatMap(VmRecord::profile).map(profiles::get)
                .or(() -> assignments.of(mac).map(a -> profiles.get(a.profile())));
    }

    private VmIdentity identity(String mac, Optional<DeviceProfile> profile, int seq) {
        Optional<VmRecord> record = Optional.ofNullable(records.get(mac));
        String instanceId = record.flatMap(VmRecord::instanceId).orElseGet(() -> derivedInstanceId(mac));
        return new VmIdentity(mac, record, profile, seq, instanceId);
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
}
