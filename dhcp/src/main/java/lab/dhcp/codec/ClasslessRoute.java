package lab.dhcp.codec;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * One classless static route of DHCP option 121 (RFC 3442).
 *
 * @param destination  the network (host bits beyond {@code prefixLength} are ignored when encoding)
 * @param prefixLength 0..32
 * @param router       the next hop; 0.0.0.0 means on-link
 */
public record ClasslessRoute(Inet4Address destination, int prefixLength, Inet4Address router) {

    public ClasslessRoute {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(router, "router");
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
    }
}
