package lab.config.model;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Conversions between IPv4 addresses and their unsigned 32-bit value, for subnet and range arithmetic. */
public final class Ipv4 {

    private static final long MAX = 0xFFFF_FFFFL;

    private Ipv4() {
    }

    /** The address as an unsigned number, 0 … 2^32-1. */
    public static long toLong(Inet4Address address) {
        byte[] bytes = address.getAddress();
        long value = 0;
        for (byte b : bytes) {
            value = (value << 8) | (b & 0xFF);
        }
        return value;
    }

    /** The address whose unsigned value is {@code value}. */
    public static Inet4Address fromLong(long value) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("not a 32-bit value: " + value);
        }
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            // getByAddress with a 4-byte array never resolves names and always yields an Inet4Address.
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4-byte address rejected", e);
        }
    }

    /** The netmask of a prefix length as a number: /16 is 0xFFFF0000. */
    public static long mask(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length outside 0..32: " + prefixLength);
        }
        return prefixLength == 0 ? 0 : (MAX << (32 - prefixLength)) & MAX;
    }
}
