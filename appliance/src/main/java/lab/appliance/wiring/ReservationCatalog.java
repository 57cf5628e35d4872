package lab.appliance.wiring;

import java.net.Inet4Address;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lab.config.model.Reservation;
import lab.dhcp.MacAddress;
import lab.dhcp.engine.HostCatalog;
import lab.dhcp.engine.HostEntry;

/** The DHCP engine's view of the config's reservations: MAC → fixed address and hostname, and back. */
public final class ReservationCatalog implements HostCatalog {

    private final Map<MacAddress, HostEntry> byMac = new HashMap<>();
    private final Map<Inet4Address, MacAddress> byIp = new HashMap<>();

    /** @param reservations validated by the config loader: no MAC or address appears twice */
    public ReservationCatalog(List<Reservation> reservations) {
        for (Reservation r : reservations) {
            MacAddress mac = MacAddress.parse(r.mac());
            byMac.put(mac, new HostEntry(Optional.of(r.ip()), r.hostname()));
            byIp.put(r.ip(), mac);
        }
    }

    @Override
    public HostEntry lookup(MacAddress mac) {
        return byMac.getOrDefault(mac, HostEntry.unknown());
    }

    @Override
    public Optional<MacAddress> reservedFor(Inet4Address ip) {
        return Optional.ofNullable(byIp.get(ip));
    }
}
