package lab.dns;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the lab zone holds apart from the leases: its domain, the appliance's own address (answered for
 * {@code data-server} and as the zone's name server), the subnets whose reverse zones it serves, the fixed names
 * (reservations and VM records with an address) and the TTL of every answer.
 *
 * @param domain  the lab domain, {@code lab.internal}, without a trailing dot
 * @param fixed   bare host name → address, answered whether or not the VM holds a lease
 * @param ttl     TTL of every record and of negative answers (SOA minimum)
 */
public record ZoneSettings(String domain, Inet4Address server, List<LabNetwork> networks,
        Map<String, Inet4Address> fixed, Duration ttl) {

    /** The name CloudStack's datasource resolves first to find its metadata server. */
    public static final String DATA_SERVER = "data-server";

    public ZoneSettings {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(server, "server");
        networks = List.copyOf(networks);
        TreeMap<String, Inet4Address> lower = new TreeMap<>();
        fixed.forEach((name, ip) -> lower.put(name.toLowerCase(Locale.ROOT), ip));
        fixed = Map.copyOf(lower);
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.getSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ttl out of range: " + ttl);
        }
    }
}
