package lab.dhcp.codec;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tests' own reading of a request, straight from its bytes and without dhcp4java: what the decoder ought to make
 * of it. Header checks in the decoder's order (size, op, htype/hlen, magic cookie), then the option field walked by
 * RFC 2132 §2, repeated options concatenated in order as RFC 3396 §7 requires (an option that RFC 2131 gives one
 * fixed length then has the wrong one). The option-overload option (52) is not followed: the decoder does not read
 * sname and file as options.
 *
 * @param drop    why the decoder must drop it, or null when it must hand it on
 * @param options the options by unsigned code, concatenated, in order of first appearance (empty when dropped early)
 */
record ReferenceReading(DropReason drop, Map<Integer, byte[]> options) {

    private static final int[][] FIXED_LENGTHS = {{50, 4}, {51, 4}, {54, 4}, {57, 2}};

    static ReferenceReading of(byte[] p) {
        if (p.length > DhcpDatagramDecoder.MAX_REQUEST_SIZE) {
            return dropped(DropReason.OVERSIZED_REQUEST);
        }
        if (p.length < OptionSpan.OPTIONS_START) {
            return dropped(DropReason.TRUNCATED);
        }
        if (p[0] != 1) {
            return dropped(DropReason.NOT_BOOTREQUEST);
        }
        if (p[1] != 1 || p[2] != 6) {
            return dropped(DropReason.NOT_ETHERNET);
        }
        if ((p[236] & 0xFF) != 0x63 || (p[237] & 0xFF) != 0x82 || (p[238] & 0xFF) != 0x53 || (p[239] & 0xFF) != 0x63) {
            return dropped(DropReason.NOT_DHCP);
        }
        if (OptionSpan.endOffset(p) < 0) {
            return dropped(DropReason.TRUNCATED);
        }
        Map<Integer, ByteArrayOutputStream> joined = new LinkedHashMap<>();
        for (OptionSpan span : OptionSpan.of(p)) {
            joined.computeIfAbsent(span.code(), code -> new ByteArrayOutputStream())
                    .write(p, span.valueOffset(), span.length());
        }
        Map<Integer, byte[]> options = new LinkedHashMap<>();
        joined.forEach((code, value) -> options.put(code, value.toByteArray()));
        byte[] type = options.get(53);
        if (type == null || type.length != 1) {
            return new ReferenceReading(DropReason.NO_MESSAGE_TYPE, options);
        }
        for (int[] fixed : FIXED_LENGTHS) {
            byte[] value = options.get(fixed[0]);
            if (value != null && value.length != fixed[1]) {
                return new ReferenceReading(DropReason.MALFORMED, options);
            }
        }
        return new ReferenceReading(null, options);
    }

    boolean accepted() {
        return drop == null;
    }

    /** Option 53 of an accepted request. */
    DhcpMessageType messageType() {
        return DhcpMessageType.of(options.get(53)[0] & 0xFF);
    }

    private static ReferenceReading dropped(DropReason reason) {
        return new ReferenceReading(reason, Map.of());
    }
}
