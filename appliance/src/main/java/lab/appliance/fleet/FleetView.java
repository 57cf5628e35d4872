package lab.appliance.fleet;

import java.util.List;
import java.util.Optional;

/** Read access to the fleet's boot timelines, for the admin API, the CLI and metrics. */
public interface FleetView {

    /** Every VM the appliance has seen, in first-seen order. */
    List<VmTimeline> all();

    /** One VM's whole timeline. */
    Optional<VmTimeline> of(String mac);
}
