package lab.dhcp.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * Where one option sits in a request's raw bytes, found by walking the option field from the magic cookie as RFC 2132
 * §2 lays it out (PAD is one byte, END ends it, every other option is code, length, value). Tests and the
 * hostile-DHCP sender use it to aim mutations at real options.
 *
 * @param offset index of the option's code byte
 * @param code   the option code, 1..254
 * @param length the length byte as written (the value may run past the end of a damaged packet)
 */
public record OptionSpan(int offset, int code, int length) {

    /** BOOTP header (236 bytes) plus the magic cookie. */
    public static final int OPTIONS_START = 240;
    static final int PAD = 0;
    static final int END = 255;

    /** Index of the value's first byte. */
    public int valueOffset() {
        return offset + 2;
    }

    /** Index just past the value. */
    public int end() {
        return offset + 2 + length;
    }

    /** The options of {@code packet} in order, up to END or to the first one cut off by the end of the bytes. */
    public static List<OptionSpan> of(byte[] packet) {
        List<OptionSpan> spans = new ArrayList<>();
        int i = OPTIONS_START;
        while (i < packet.length) {
            int code = packet[i] & 0xFF;
            if (code == PAD) {
                i++;
                continue;
            }
            if (code == END || i + 1 >= packet.length) {
                break;
            }
            OptionSpan span = new OptionSpan(i, code, packet[i + 1] & 0xFF);
            if (span.end() > packet.length) {
                break;
            }
            spans.add(span);
            i = span.end();
        }
        return spans;
    }

    /** Index of the END option, or -1 when the options are cut off before one. */
    public static int endOffset(byte[] packet) {
        List<OptionSpan> spans = of(packet);
        int i = spans.isEmpty() ? OPTIONS_START : spans.get(spans.size() - 1).end();
        while (i < packet.length && (packet[i] & 0xFF) == PAD) {
            i++;
        }
        return i < packet.length && (packet[i] & 0xFF) == END ? i : -1;
    }
}
