package lab.dhcp.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The wire form of DHCP option 121, classless static routes (RFC 3442), which dhcp4java cannot encode.
 *
 * <p>Each route is one width byte (the prefix length), the significant octets of the destination
 * ({@code ceil(width / 8)} of them, 0 for a default route) and the four octets of the router. An option value is
 * at least one route (5 bytes) and, since dhcp4java cannot split long options (RFC 3396), at most 255 bytes.
 */
public final class ClasslessRouteOption {

    /** Option 121 (RFC 3442 §3). */
    public static final int CODE = 121;

    /** The largest option value dhcp4java can put on the wire. */
    public static final int MAX_LENGTH = 255;

    private ClasslessRouteOption() {
    }

    /**
     * Encodes routes in the given order. Host bits of a destination beyond its prefix are cleared.
     *
     * @throws IllegalArgumentException when there are no routes or they encode to more than 255 bytes
     */
    public static byte[] encode(List<ClasslessRoute> routes) {
        Objects.requireNonNull(routes, "routes");
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("option 121 needs at least one route (RFC 3442 §3)");
        }
        int length = 0;
        for (ClasslessRoute route : routes) {
            length += 1 + significantOctets(route.prefixLength()) + 4;
        }
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("option 121 for " + routes.size() + " routes needs " + length
                    + " bytes, more than the " + MAX_LENGTH + " one option can carry");
        }
        byte[] out = new byte[length];
        int at = 0;
        for (ClasslessRoute route : routes) {
            int width = route.prefixLength();
            int octets = significantOctets(width);
            byte[] destination = route.destination().getAddress();
            out[at++] = (byte) width;
            for (int i = 0; i < octets; i++) {
                out[at++] = (byte) (destination[i] & maskOctet(width, i));
            }
            System.arraycopy(route.router().getAddress(), 0, out, at, 4);
            at += 4;
        }
        return out;
    }

    /**
     * Decodes an option 121 value, for tests and logs.
     *
     * @throws IllegalArgumentException naming the route and offset when the value is empty, a width exceeds 32,
     *                                  a route is cut short, or a destination has bits set beyond its prefix
     */
    public static List<ClasslessRoute> decode(byte[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length == 0) {
            throw new IllegalArgumentException("option 121 is empty; RFC 3442 requires at least one route");
        }
        List<ClasslessRoute> routes = new ArrayList<>();
        int at = 0;
        while (at < value.length) {
            int start = at;
            int width = value[at++] & 0xFF;
            if (width > 32) {
                throw malformed(routes.size(), start, "prefix length " + width + " exceeds 32");
            }
            int octets = significantOctets(width);
            if (value.length - at < octets + 4) {
                throw malformed(routes.size(), start, "needs " + (1 + octets + 4) + " bytes but only "
                        + (value.length - start) + " remain");
            }
            byte[] destination = new byte[4];
            for (int i = 0; i < octets; i++) {
                destination[i] = value[at++];
                if ((destination[i] & ~maskOctet(width, i) & 0xFF) != 0) {
                    throw malformed(routes.size(), start, "destination has bits set beyond /" + width);
                }
            }
            byte[] router = new byte[4];
            System.arraycopy(value, at, router, 0, 4);
            at += 4;
            routes.add(new ClasslessRoute(inet4(destination), width, inet4(router)));
        }
        return List.copyOf(routes);
    }

    private static int significantOctets(int width) {
        return (width + 7) / 8;
    }

    /** The mask for octet {@code index} of a /width destination. */
    private static int maskOctet(int width, int index) {
        int bits = Math.min(8, Math.max(0, width - 8 * index));
        return (0xFF00 >>> bits) & 0xFF;
    }

    private static IllegalArgumentException malformed(int route, int offset, String problem) {
        return new IllegalArgumentException("malformed option 121: route " + route + " at offset " + offset + ": "
                + problem);
    }

    private static Inet4Address inet4(byte[] octets) {
        try {
            return (Inet4Address) InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            // getByAddress only throws for a length other than 4 or 16.
            throw new IllegalStateException(e);
        }
    }
}
