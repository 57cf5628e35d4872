package lab.dhcp;

import java.util.HexFormat;

/** A 48-bit Ethernet hardware address, the key of a client's identity. */
public record MacAddress(long value) implements Comparable<MacAddress> {

    public MacAddress {
        if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("MAC address wider than 48 bits: " + Long.toHexString(value));
        }
    }

    /** Parses {@code 02:00:00:00:01:01} (colons or dashes, any case). */
    public static MacAddress parse(String text) {
        String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: \"" + text + "\"");
        }
        long v = 0;
        for (String part : parts) {
            // Hex digits only: Integer.parseInt would also take a sign, reading "+2" as 02.
            if (part.length() != 2 || !HexFormat.isHexDigit(part.charAt(0)) || !HexFormat.isHexDigit(part.charAt(1))) {
                throw new IllegalArgumentException("not a MAC address: \"" + text + "\"");
            }
            v = (v << 8) | HexFormat.fromHexDigits(part);
        }
        return new MacAddress(v);
    }

    /** The first six bytes of {@code bytes} (a chaddr field). */
    public static MacAddress of(byte[] bytes) {
        if (bytes.length < 6) {
            throw new IllegalArgumentException("hardware address shorter than 6 bytes: " + bytes.length);
        }
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (bytes[i] & 0xFF);
        }
        return new MacAddress(v);
    }

    public byte[] toBytes() {
        byte[] b = new byte[6];
        for (int i = 5; i >= 0; i--) {
            b[i] = (byte) (value >>> (8 * (5 - i)));
        }
        return b;
    }

    @Override
    public int compareTo(MacAddress o) {
        return Long.compare(value, o.value);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Lowercase colon form, {@code 02:00:00:00:01:01}; on every log line and lease record, so no formatter. */
    @Override
    public String toString() {
        char[] text = new char[17];
        for (int i = 0; i < 6; i++) {
            int octet = (int) (value >>> (8 * (5 - i))) & 0xFF;
            int at = i * 3;
            text[at] = HEX[octet >>> 4];
            text[at + 1] = HEX[octet & 0xF];
            if (i < 5) {
                text[at + 2] = ':';
            }
        }
        return new String(text);
    }
}
