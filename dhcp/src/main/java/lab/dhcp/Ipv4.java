package lab.dhcp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Conversions between IPv4 addresses and their 32-bit values, for range arithmetic in pools and subnets. */
public final class Ipv4 {

    private Ipv4() {
    }

    /** The address as an unsigned 32-bit value held in an int. */
    public static int toInt(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + address.getHostAddress());
        }
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    public static Inet4Address fromInt(int value) {
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an address", e);
        }
    }

    /** The netmask of a prefix length, e.g. 16 → 255.255.0.0 as an int. */
    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** True for 0.0.0.0, the "no address" of BOOTP fields. */
    public static boolean isUnspecified(InetAddress address) {
        return address == null || toInt(address) == 0;
    }
}
