package lab.dhcp.codec;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.dhcp4java.DHCPPacket;

/**
 * Option access that steps around dhcp4java's traps: its option codes are signed bytes (option 150 is
 * {@code (byte) -106}), its string options map each char to one byte (not UTF-8), and it throws on serialize
 * when a value exceeds 255 bytes. These helpers take unsigned codes, encode text explicitly and check lengths
 * when the option is set, not when the reply is already on its way out.
 */
public final class DhcpOptions {

    /** The longest value one option can carry without RFC 3396 splitting, which dhcp4java lacks. */
    public static final int MAX_VALUE_LENGTH = 255;

    private DhcpOptions() {
    }

    /** The dhcp4java code for an unsigned option code 1..254 (0 is PAD and 255 is END). */
    public static byte code(int unsignedCode) {
        if (unsignedCode < 1 || unsignedCode > 254) {
            throw new IllegalArgumentException("option code out of range 1..254: " + unsignedCode);
        }
        return (byte) unsignedCode;
    }

    /** The unsigned option code of a dhcp4java code. */
    public static int unsigned(byte code) {
        return code & 0xFF;
    }

    /** Sets a raw option value, rejecting values dhcp4java could not serialize. */
    public static void setRaw(DHCPPacket packet, int unsignedCode, byte[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("option " + unsignedCode + " value is " + value.length
                    + " bytes, more than the " + MAX_VALUE_LENGTH + " one option can carry");
        }
        packet.setOptionRaw(code(unsignedCode), value);
    }

    /**
     * Sets a host or domain name option (12 host name, 15 domain name, RFC 2132 §3.14/§3.17), which must be
     * ASCII: non-ASCII labels become their IDNA punycode form ({@code bücher} → {@code xn--bcher-kva}).
     *
     * @throws IllegalArgumentException when the name is empty, not a valid IDN, or longer than 255 bytes
     */
    public static void setName(DHCPPacket packet, int unsignedCode, String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("option " + unsignedCode + ": empty name");
        }
        String ascii = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
        setRaw(packet, unsignedCode, ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** Sets a free-text option (56 message, …) as UTF-8. */
    public static void setText(DHCPPacket packet, int unsignedCode, String text) {
        setRaw(packet, unsignedCode, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A text option as sent by the client, decoded as UTF-8 (malformed sequences become U+FFFD) with trailing
     * NULs removed, since some clients NUL-terminate their host name.
     */
    public static Optional<String> text(DHCPPacket packet, int unsignedCode) {
        byte[] raw = packet.getOptionRaw(code(unsignedCode));
        if (raw == null) {
            return Optional.empty();
        }
        int end = raw.length;
        while (end > 0 && raw[end - 1] == 0) {
            end--;
        }
        return Optional.of(new String(raw, 0, end, StandardCharsets.UTF_8));
    }

    /** Client-supplied text made safe for a log line: control characters and quotes become escapes. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
                out.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
