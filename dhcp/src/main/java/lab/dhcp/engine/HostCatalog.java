package lab.dhcp.engine;

import java.net.Inet4Address;
import java.util.Optional;
import lab.dhcp.MacAddress;

/** MAC → reservation and hostname, supplied by the appliance from its inventory. Must be fast and non-blocking. */
public interface HostCatalog {

    /** What is known of {@code mac}; {@link HostEntry#unknown()} for a stranger. */
    HostEntry lookup(MacAddress mac);

    /** The MAC that {@code ip} is reserved for, if any: such an address is never handed to another MAC. */
    Optional<MacAddress> reservedFor(Inet4Address ip);

    /** A catalog with no reservations. */
    static HostCatalog empty() {
        return new HostCatalog() {
            @Override
            public HostEntry lookup(MacAddress mac) {
                return HostEntry.unknown();
            }

            @Override
            public Optional<MacAddress> reservedFor(Inet4Address ip) {
                return Optional.empty();
            }
        };
    }
}
