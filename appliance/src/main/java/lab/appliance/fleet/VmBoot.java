package lab.appliance.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One boot of a VM: from its first DISCOVER (or first event) to the next DISCOVER after it finished.
 *
 * @param number  1 for the first boot the appliance saw, then 2, 3, …
 * @param started the boot's first event
 * @param events  its events in order (old ones trimmed when a boot has too many)
 * @param phase   derived from the events
 */
public record VmBoot(int number, Instant started, List<BootEvent> events, BootPhase phase) {

    public VmBoot {
        Objects.requireNonNull(started, "started");
        events = List.copyOf(events);
        Objects.requireNonNull(phase, "phase");
    }
}
