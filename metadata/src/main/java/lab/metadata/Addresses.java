package lab.metadata;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 prefix arithmetic the flavour trees share: netmask and network of an address with a prefix length. */
public final class Addresses {

    private Addresses() {
    }

    /** Dotted netmask of a prefix length, e.g. 24 → 255.255.255.0. */
    public static String netmask(int prefixLength) {
        return toText(mask(prefixLength));
    }

    /** The network in CIDR form, e.g. 192.0.2.23/24 → 192.0.2.0/24. */
    public static String networkCidr(Inet4Address address, int prefixLength) {
        return toText(toInt(address) & mask(prefixLength)) + "/" + prefixLength;
    }

    /** The network address in dotted form. */
    public static String network(Inet4Address address, int prefixLength) {
        return toText(toInt(address) & mask(prefixLength));
    }

    private static int mask(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length out of range 0..32: " + prefixLength);
        }
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    private static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    private static String toText(int value) {
        try {
            return InetAddress.getByAddress(new byte[] {
                (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value})
                .getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }
}
