package lab.dns;

import java.net.Inet4Address;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TextParseException;

/**
 * One IPv4 subnet of the lab, whose addresses the server resolves back to names. Its reverse zone is cut at the
 * octet boundary at or above the prefix ({@code 10.20.0.0/16} → {@code 20.10.in-addr.arpa}, a /22 → its /16), the
 * zone a lab's resolvers would be pointed at without RFC 2317 delegation.
 */
public record LabNetwork(Inet4Address address, int prefixLength) {

    public LabNetwork {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 8 || prefixLength > 32) {
            throw new IllegalArgumentException("reverse zones are kept for /8 to /32, not /" + prefixLength);
        }
    }

    /** Whether {@code candidate} lies in the subnet. */
    public boolean contains(Inet4Address candidate) {
        long mask = mask(prefixLength);
        return (bits(candidate) & mask) == (bits(address) & mask);
    }

    /** The reverse zone holding the subnet's PTR records. */
    public Name reverseZone() {
        int octets = prefixLength / 8;
        byte[] raw = address.getAddress();
        StringBuilder zone = new StringBuilder();
        for (int i = octets - 1; i >= 0; i--) {
            zone.append(raw[i] & 0xFF).append('.');
        }
        zone.append("in-addr.arpa.");
        try {
            return Name.fromString(zone.toString());
        } catch (TextParseException e) {
            throw new IllegalStateException("reverse zone of " + this, e);
        }
    }

    /** The PTR owner name of an address, {@code 5.1.20.10.in-addr.arpa.}. */
    static Name reverseName(Inet4Address ip) {
        return ReverseMap.fromAddress(ip);
    }

    private static long bits(Inet4Address ip) {
        byte[] raw = ip.getAddress();
        return ((raw[0] & 0xFFL) << 24) | ((raw[1] & 0xFFL) << 16) | ((raw[2] & 0xFFL) << 8) | (raw[3] & 0xFFL);
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
