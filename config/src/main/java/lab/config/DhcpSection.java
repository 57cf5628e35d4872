package lab.config;

import java.util.List;
import java.util.Optional;
import lab.config.model.DhcpConfig;
import lab.config.model.PoolConfig;
import lab.config.model.Reservation;

/**
 * The bound {@code dhcp} section: its config when the required keys are good, and the pools and reservations that
 * could be read, with their origins, for the checks against the network section.
 */
record DhcpSection(Optional<DhcpConfig> config, List<Located<PoolConfig>> pools,
        List<Located<Reservation>> reservations) {

    DhcpSection {
        pools = List.copyOf(pools);
        reservations = List.copyOf(reservations);
    }
}
