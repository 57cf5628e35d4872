package lab.appliance.cli;

import java.util.List;
import java.util.Optional;
import lab.appliance.inventory.Inventory;
import lab.config.InvalidValueException;
import lab.config.MacSyntax;
import lab.config.model.ApplianceConfig;
import lab.config.model.DeviceProfile;
import lab.config.model.VmRecord;

/**
 * What {@code launch-args TARGET} names: one VM by MAC, or every VM of a profile. A MAC's profile is found as the
 * inventory finds it from the config alone: its {@code vms} record's, else the first profile whose
 * {@code mac-prefix} fits, else {@code metadata.default-profile}. (The running appliance also matches the DHCP vendor
 * class and remembers earlier assignments in its state directory; neither is known here.)
 *
 * @param mac normalised, when TARGET was a MAC
 * @param how where the profile came from, for the human-readable header
 */
record LaunchTarget(Optional<String> mac, Optional<DeviceProfile> profile, String how) {

    /** TARGET could not be read: not a MAC, and no profile of that name. */
    static final class UnknownTargetException extends Exception {
        UnknownTargetException(String message) {
            super(message);
        }
    }

    static LaunchTarget resolve(String target, ApplianceConfig config) throws UnknownTargetException {
        if (target.contains(":")) {
            return forMac(parseMac(target), config);
        }
        List<String> names = config.profiles().stream().map(DeviceProfile::name).toList();
        Optional<DeviceProfile> named = config.profiles().stream().filter(p -> p.name().equals(target)).findFirst();
        if (named.isEmpty()) {
            throw new UnknownTargetException("\"" + target + "\" is neither a MAC address like 02:00:00:00:00:01 nor a "
                    + "profile of " + config.source() + " (expected a MAC or one of: "
                    + (names.isEmpty() ? "(no profiles)" : String.join(", ", names)) + ")");
        }
        return new LaunchTarget(Optional.empty(), named, "profile " + target);
    }

    private static String parseMac(String target) throws UnknownTargetException {
        try {
            return MacSyntax.parse(target);
        } catch (InvalidValueException e) {
            throw new UnknownTargetException(e.getMessage());
        }
    }

    private static LaunchTarget forMac(String mac, ApplianceConfig config) {
        List<VmRecord> vms = config.vms();
        for (int i = 0; i < vms.size(); i++) {
            VmRecord vm = vms.get(i);
            if (vm.mac().equals(mac) && vm.profile().isPresent()) {
                return new LaunchTarget(Optional.of(mac), profileNamed(config, vm.profile().get()),
                        "vms[" + i + "], profile " + vm.profile().get());
            }
        }
        Optional<DeviceProfile> matched = Inventory.firstMatching(config.profiles(), mac, Optional.empty());
        if (matched.isPresent()) {
            return new LaunchTarget(Optional.of(mac), matched,
                    "profile " + matched.get().name() + " by mac-prefix " + matched.get().macPrefix().orElseThrow());
        }
        Optional<String> fallback = config.metadata().defaultProfile();
        if (fallback.isPresent()) {
            return new LaunchTarget(Optional.of(mac), profileNamed(config, fallback.get()),
                    "profile " + fallback.get() + " as metadata.default-profile");
        }
        return new LaunchTarget(Optional.of(mac), Optional.empty(), "no profile");
    }

    private static Optional<DeviceProfile> profileNamed(ApplianceConfig config, String name) {
        return config.profiles().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** {@code 02:00:00:aa:00:01 (vms[0], profile waf)} or {@code profile waf}. */
    String describe() {
        return mac.map(m -> m + " (" + how + ")").orElse(how);
    }
}
