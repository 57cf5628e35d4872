package lab.dhcp.codec;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One change to a request's bytes, as a broken or hostile client could make it; {@link #applyTo} works on a copy. The
 * decoder's property tests generate these with quicktheories, the reliability module's hostile-DHCP sender with a
 * seeded random, so both explore the same space.
 *
 * @param kind  what is changed
 * @param at    where (taken modulo the length, the option count, … as the kind needs), non-negative
 * @param value with what (a byte, a length, a seed for filler bytes), non-negative
 */
public record PacketMutation(Kind kind, int at, int value) {

    /** The kinds of damage. */
    public enum Kind {
        /** XORs one byte with a non-zero mask. */
        FLIP_BITS,
        /** Sets one byte. */
        SET_BYTE,
        /** Cuts the packet anywhere, header included. */
        TRUNCATE,
        /** Adds 1..64 filler bytes at the end (after END: padding, or more options when END is gone). */
        APPEND_BYTES,
        /** Removes 1..32 bytes from anywhere. */
        DELETE_BYTES,
        /** Inserts 1..32 filler bytes anywhere. */
        INSERT_BYTES,
        /** Rewrites one option's length byte: short, or past the end of the packet. */
        OPTION_LENGTH,
        /** Inserts a 255-byte option 55, 61, 81, 12, 60, 82, 43, 77 or 125 right after the cookie. */
        OVERLONG_OPTION,
        /** Writes one option a second time right after itself (RFC 3396 concatenates the two). */
        REPEAT_OPTION,
        /**
         * Splits one option's value in two instances of the option, anywhere, an empty half included: RFC 3396
         * allows it for any option, and a server must read the same request.
         */
        SPLIT_OPTION,
        /** Cuts the packet just before its END option. */
        DROP_END,
        /** Changes one byte of the magic cookie. */
        BAD_COOKIE,
        /** Sets hops (0..255; a relay chain of more than 16 is already suspect). */
        HOPS,
        /** Sets op: 2 is BOOTREPLY, anything else is neither. */
        OP,
        /** Sets htype and hlen (the value's low and high byte): InfiniBand is 32/0, not Ethernet's 1/6. */
        HARDWARE_TYPE,
        /** Sets option 53's value: a server's type (OFFER, ACK), or one that does not exist. */
        MESSAGE_TYPE,
        /** Gives chaddr a new MAC. */
        CHADDR
    }

    private static final List<Integer> OVERLONG_CODES = List.of(55, 61, 81, 12, 60, 82, 43, 77, 125);
    private static final int MAX_OPTION_LENGTH = 255;
    private static final int COOKIE_OFFSET = 236;
    private static final int CHADDR_OFFSET = 28;

    public PacketMutation {
        if (kind == null || at < 0 || value < 0) {
            throw new IllegalArgumentException("kind, at >= 0 and value >= 0 required: " + kind + " " + at + " "
                    + value);
        }
    }

    /** A mutation drawn from {@code random}, every kind equally likely. */
    public static PacketMutation random(SplittableRandom random) {
        Kind[] kinds = Kind.values();
        return new PacketMutation(kinds[random.nextInt(kinds.length)], random.nextInt(1 << 16),
                random.nextInt(1 << 16));
    }

    /** The mutated copy of {@code packet}; {@code packet} itself is left as it was. */
    public byte[] applyTo(byte[] packet) {
        byte[] p = packet.clone();
        int n = p.length;
        return switch (kind) {
            case FLIP_BITS -> {
                if (n > 0) {
                    p[at % n] ^= (byte) (value % 255 + 1);
                }
                yield p;
            }
            case SET_BYTE -> {
                if (n > 0) {
                    p[at % n] = (byte) value;
                }
                yield p;
            }
            case TRUNCATE -> Arrays.copyOf(p, at % (n + 1));
            case APPEND_BYTES -> concat(p, filler(at % 64 + 1));
            case DELETE_BYTES -> {
                if (n == 0) {
                    yield p;
                }
                int from = at % n;
                int to = Math.min(n, from + value % 32 + 1);
                yield concat(Arrays.copyOfRange(p, 0, from), Arrays.copyOfRange(p, to, n));
            }
            case INSERT_BYTES -> insert(p, at % (n + 1), filler(value % 32 + 1));
            case OPTION_LENGTH -> {
                List<OptionSpan> spans = OptionSpan.of(p);
                if (!spans.isEmpty()) {
                    p[spans.get(at % spans.size()).offset() + 1] = (byte) value;
                }
                yield p;
            }
            case OVERLONG_OPTION -> {
                if (n < OptionSpan.OPTIONS_START) {
                    yield p;
                }
                byte[] option = new byte[2 + MAX_OPTION_LENGTH];
                option[0] = (byte) (int) OVERLONG_CODES.get(at % OVERLONG_CODES.size());
                option[1] = (byte) MAX_OPTION_LENGTH;
                System.arraycopy(filler(MAX_OPTION_LENGTH), 0, option, 2, MAX_OPTION_LENGTH);
                yield insert(p, OptionSpan.OPTIONS_START, option);
            }
            case REPEAT_OPTION -> {
                List<OptionSpan> spans = OptionSpan.of(p);
                if (spans.isEmpty()) {
                    yield p;
                }
                OptionSpan span = spans.get(at % spans.size());
                yield insert(p, span.end(), Arrays.copyOfRange(p, span.offset(), span.end()));
            }
            case SPLIT_OPTION -> {
                List<OptionSpan> spans = OptionSpan.of(p);
                if (spans.isEmpty()) {
                    yield p;
                }
                OptionSpan span = spans.get(at % spans.size());
                int first = value % (span.length() + 1);
                p[span.offset() + 1] = (byte) first;
                byte[] second = {(byte) span.code(), (byte) (span.length() - first)};
                yield insert(p, span.valueOffset() + first, second);
            }
            case DROP_END -> {
                int end = OptionSpan.endOffset(p);
                yield end < 0 ? p : Arrays.copyOf(p, end);
            }
            case BAD_COOKIE -> {
                if (n >= OptionSpan.OPTIONS_START) {
                    p[COOKIE_OFFSET + at % 4] ^= (byte) (value % 255 + 1);
                }
                yield p;
            }
            case HOPS -> set(p, 3, value);
            case OP -> set(p, 0, value);
            case HARDWARE_TYPE -> set(set(p, 1, value), 2, value >> 8);
            case MESSAGE_TYPE -> {
                OptionSpan.of(p).stream().filter(s -> s.code() == 53 && s.length() > 0).findFirst()
                        .ifPresent(s -> p[s.valueOffset()] = (byte) value);
                yield p;
            }
            case CHADDR -> {
                if (n >= CHADDR_OFFSET + 6) {
                    System.arraycopy(filler(6), 0, p, CHADDR_OFFSET, 6);
                }
                yield p;
            }
        };
    }

    /** Bytes that depend on {@code value} only, so a failing case replays exactly. */
    private byte[] filler(int length) {
        byte[] bytes = new byte[length];
        new SplittableRandom(value).nextBytes(bytes);
        return bytes;
    }

    private static byte[] set(byte[] p, int index, int value) {
        if (p.length > index) {
            p[index] = (byte) value;
        }
        return p;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] insert(byte[] p, int at, byte[] bytes) {
        return concat(concat(Arrays.copyOfRange(p, 0, at), bytes), Arrays.copyOfRange(p, at, p.length));
    }
}
