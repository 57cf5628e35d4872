package lab.config.model;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A fixed address for one MAC. YAML: an item of {@code dhcp.reservations} with keys {@code mac} (required; six hex
 * pairs with {@code :} or {@code -}, any case), {@code ip} (required; inside the subnet, not the appliance's own
 * address) and {@code hostname} (optional; RFC 1123).
 *
 * <p>The address may lie inside a pool: the allocator then simply never hands it to another MAC.
 *
 * @param mac normalised to lowercase with colons, {@code 02:00:00:00:01:01}
 */
public record Reservation(String mac, Inet4Address ip, Optional<String> hostname) {

    private static final Pattern NORMAL_MAC = Pattern.compile("[0-9a-f]{2}(?::[0-9a-f]{2}){5}");

    public Reservation {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(hostname, "hostname");
        if (!NORMAL_MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("MAC not in normal form (lowercase, colons): " + mac);
        }
    }
}
