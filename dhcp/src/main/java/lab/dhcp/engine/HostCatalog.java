package lab.dhcp.engine;

import java.net.Inet4Address;
import java.util.Optional;
import lab.dhcp.MacAddress;

/** MAC → reservation, hostname and profile, supplied by the appliance from its inventory. Must be fast and non-blocking. */
public interface HostCatalog {

    /**
     * Who {@code mac} is, with its request in hand; {@link HostEntry#unknown()} for a stranger. The appliance
     * decides a new MAC's device profile here, once and for good (a profile may match on the vendor class), so the
     * engine calls this once per DISCOVER, REQUEST or INFORM, before it tells anyone else of the message.
     *
     * @param vendorClass the client's option 60, if it sent one
     */
    HostEntry lookup(MacAddress mac, Optional<String> vendorClass);

    /**
     * The address reserved for {@code mac}, if any; decides nothing (the allocator asks this on every decision: keep
     * it cheap).
     */
    Optional<Inet4Address> fixedAddress(MacAddress mac);

    /** The MAC that {@code ip} is reserved for, if any: such an address is never handed to another MAC. */
    Optional<MacAddress> reservedFor(Inet4Address ip);

    /**
     * Whether {@code mac} is one of the lab's own clients: it has a reservation or a VM record, or a device profile's
     * match rule claims it (a fallback default profile does not). Decides nothing, unlike {@link #lookup}: the engine
     * asks this before it spends anything on a stranger (see {@link UnknownClientLimits}).
     *
     * @param vendorClass the client's option 60, if it sent one
     */
    boolean knows(MacAddress mac, Optional<String> vendorClass);

    /** A catalog with no reservations. */
    static HostCatalog empty() {
        return new HostCatalog() {
            @Override
            public HostEntry lookup(MacAddress mac, Optional<String> vendorClass) {
                return HostEntry.unknown();
            }

            @Override
            public Optional<Inet4Address> fixedAddress(MacAddress mac) {
                return Optional.empty();
            }

            @Override
            public Optional<MacAddress> reservedFor(Inet4Address ip) {
                return Optional.empty();
            }

            @Override
            public boolean knows(MacAddress mac, Optional<String> vendorClass) {
                return false;
            }
        };
    }
}
