package lab.appliance.fleet;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the appliance saw of one VM, keyed by MAC: its current address, name and profile, and its boots (the
 * current one last; a bounded number of earlier ones kept).
 *
 * @param mac      lowercase colon form
 * @param ip       its current leased address, if any
 * @param hostname its hostname, "" if none known
 * @param profile  its device profile, "" if none
 * @param boots    oldest first; never empty
 */
public record VmTimeline(String mac, Optional<String> ip, String hostname, String profile, List<VmBoot> boots) {

    public VmTimeline {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(profile, "profile");
        boots = List.copyOf(boots);
    }

    public VmBoot currentBoot() {
        return boots.get(boots.size() - 1);
    }

    public BootPhase phase() {
        return currentBoot().phase();
    }

    public Optional<BootEvent> lastEvent() {
        List<BootEvent> events = currentBoot().events();
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1));
    }
}
