package lab.reliability;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import lab.dhcp.codec.OptionSpan;
import lab.dhcp.codec.PacketFixtures;
import lab.dhcp.codec.PacketMutation;

/**
 * Makes the packets of the hostile-DHCP sender: random bytes, and the requests captured from real clients
 * ({@link PacketFixtures#CAPTURED}) broken in the ways a buggy or hostile client breaks them, or kept valid but
 * weird. Deterministic for a seed. Hostile packets that stay valid use MACs 02:66:00:00:xx:xx (1024 of them, so the
 * offers they are made stay bounded), never a lab client's.
 */
final class HostileDhcpPackets {

    /** What a packet is; the sender counts each. */
    enum Kind {
        /** 0..1600 random bytes. */
        RANDOM_BYTES,
        /** A capture cut anywhere before its END option, header included. */
        TRUNCATED,
        /** One option's length byte pointing past the end of the packet. */
        OPTION_PAST_END,
        /** Option 55, 61 or 81 at 255 bytes, sometimes twice (RFC 3396 joins them past 255). */
        OVERLONG_OPTION,
        /** A capture with one byte of its magic cookie changed. */
        BAD_COOKIE,
        /** hops 17..255 (RFC 1542 §4.1.1: more than 16 relays is suspect). */
        HUGE_HOPS,
        /** op 2, as if a server's reply came in on port 67. */
        BOOTREPLY,
        /** One to six {@link PacketMutation}s of any kind. */
        MUTATED,
        /** Valid requests in odd combinations: see {@link #weird}. */
        WEIRD_VALID
    }

    private static final int HOSTILE_MACS = 1024;
    private static final int CHADDR = 28;
    private static final int CIADDR = 12;
    private static final int GIADDR = 24;

    private final List<byte[]> captures;
    private final byte[] serverId;
    private final int subnet;
    private final SplittableRandom random;

    /**
     * @param serverId the address of the server under test, put in option 54 where a request names its server
     * @param subnet   its subnet's network address as an int (a /16), where "inside our subnet" addresses come from
     */
    HostileDhcpPackets(byte[] serverId, int subnet, long seed) {
        this.captures = PacketFixtures.CAPTURED.stream().map(PacketFixtures::load).toList();
        this.serverId = serverId.clone();
        this.subnet = subnet;
        this.random = new SplittableRandom(seed);
    }

    /** A kind drawn at random, every kind equally likely. */
    Kind nextKind() {
        Kind[] kinds = Kind.values();
        return kinds[random.nextInt(kinds.length)];
    }

    /** One packet of {@code kind}. */
    byte[] next(Kind kind) {
        byte[] p = capture();
        return switch (kind) {
            case RANDOM_BYTES -> bytes(random.nextInt(1601));
            // Before the END option: a cut in the padding after it would leave a whole request.
            case TRUNCATED -> Arrays.copyOf(p, random.nextInt(OptionSpan.endOffset(p) + 1));
            case OPTION_PAST_END -> {
                // Among the options close enough to the end for a length byte (at most 255) to reach past it.
                int length = p.length;
                List<OptionSpan> spans = OptionSpan.of(p).stream().filter(s -> length - s.valueOffset() < 255).toList();
                OptionSpan span = spans.get(random.nextInt(spans.size()));
                int past = length - span.valueOffset() + 1;
                p[span.offset() + 1] = (byte) (past + random.nextInt(256 - past));
                yield p;
            }
            case OVERLONG_OPTION -> {
                int code = new int[] {55, 61, 81}[random.nextInt(3)];
                byte[] once = withOption(p, code, bytes(255));
                yield random.nextBoolean() ? once : beforeEnd(once, option(code, bytes(1 + random.nextInt(255))));
            }
            case BAD_COOKIE -> {
                p[236 + random.nextInt(4)] ^= (byte) (1 + random.nextInt(255));
                yield p;
            }
            case HUGE_HOPS -> {
                p[3] = (byte) (17 + random.nextInt(239));
                yield p;
            }
            case BOOTREPLY -> {
                p[0] = 2;
                yield p;
            }
            case MUTATED -> {
                int n = 1 + random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    p = PacketMutation.random(random).applyTo(p);
                }
                yield p;
            }
            case WEIRD_VALID -> weird(p);
        };
    }

    /**
     * A request every check of the decoder passes, from a hostile MAC, in one of these shapes: relayed (giaddr in our
     * subnet or on a segment nobody serves); a REQUEST naming us for an address never offered; a RENEW or RELEASE
     * for an address that MAC does not hold; an INIT-REBOOT for our own, the broadcast or the zero address; a DECLINE
     * of a random address; an INFORM from anywhere; option 57 at 0, 1, 576 or 65535 with the broadcast bit; a
     * message type no client sends (OFFER, ACK, NAK, 9..255); host name, vendor class and client id of control
     * characters and broken UTF-8; a 255-byte option 82 (echoed into the reply); options split in pieces (RFC 3396).
     */
    private byte[] weird(byte[] p) {
        byte[] mac = {2, 0x66, 0, 0, (byte) (random.nextInt(HOSTILE_MACS) >> 8), (byte) random.nextInt(256)};
        System.arraycopy(mac, 0, p, CHADDR, 6);
        switch (random.nextInt(11)) {
            case 0 -> {
                p = asType(p, 1);
                p[3] = 1;
                setAddress(p, GIADDR, random.nextBoolean() ? inSubnet() : 0xC6336400 | random.nextInt(256));
            }
            case 1 -> p = withOption(withOption(asType(p, 3), 54, serverId), 50, int4(inSubnet()));
            case 2 -> {
                p = withoutOption(withoutOption(asType(p, 3), 54), 50);
                setAddress(p, CIADDR, inSubnet());
            }
            case 3 -> {
                p = withoutOption(asType(p, 3), 54);
                int[] odd = {toInt(serverId), -1, 0, subnet};
                p = withOption(p, 50, int4(odd[random.nextInt(odd.length)]));
            }
            case 4 -> {
                p = withOption(asType(p, 7), 54, serverId);
                setAddress(p, CIADDR, inSubnet());
            }
            case 5 -> p = withOption(withOption(asType(p, 4), 54, serverId), 50, int4(inSubnet()));
            case 6 -> {
                p = asType(p, 8);
                setAddress(p, CIADDR, random.nextBoolean() ? 0 : random.nextInt());
            }
            case 7 -> {
                int[] sizes = {0, 1, 576, 65535};
                int size = sizes[random.nextInt(sizes.length)];
                p = withOption(asType(p, 1), 57, new byte[] {(byte) (size >> 8), (byte) size});
                p[10] |= (byte) 0x80;
            }
            case 8 -> {
                int[] types = {2, 5, 6, 9 + random.nextInt(247)};
                p = asType(p, types[random.nextInt(types.length)]);
            }
            case 9 -> {
                p = asType(p, 1);
                for (int code : new int[] {12, 60, 61}) {
                    byte[] junk = bytes(1 + random.nextInt(64));
                    junk[0] = (byte) random.nextInt(0x20);
                    p = withOption(p, code, junk);
                }
            }
            default -> {
                p = withOption(asType(p, 1 + 2 * random.nextInt(2)), 82, bytes(255));
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    p = new PacketMutation(PacketMutation.Kind.SPLIT_OPTION, random.nextInt(1 << 16),
                            random.nextInt(1 << 16)).applyTo(p);
                }
            }
        }
        return p;
    }

    private byte[] capture() {
        return captures.get(random.nextInt(captures.size())).clone();
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private int inSubnet() {
        return subnet | (1 + random.nextInt(0xFFFE));
    }

    private static byte[] asType(byte[] p, int type) {
        return withOption(p, 53, new byte[] {(byte) type});
    }

    /** {@code p} with every instance of {@code code} removed and one with {@code value} put first. */
    static byte[] withOption(byte[] p, int code, byte[] value) {
        byte[] without = withoutOption(p, code);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(without, 0, OptionSpan.OPTIONS_START);
        out.writeBytes(option(code, value));
        out.write(without, OptionSpan.OPTIONS_START, without.length - OptionSpan.OPTIONS_START);
        return out.toByteArray();
    }

    static byte[] withoutOption(byte[] p, int code) {
        List<OptionSpan> drop = new ArrayList<>(OptionSpan.of(p).stream().filter(s -> s.code() == code).toList());
        byte[] out = p;
        for (int i = drop.size() - 1; i >= 0; i--) {
            OptionSpan s = drop.get(i);
            byte[] shorter = Arrays.copyOf(out, out.length - (s.end() - s.offset()));
            System.arraycopy(out, s.end(), shorter, s.offset(), out.length - s.end());
            out = shorter;
        }
        return out;
    }

    private static byte[] beforeEnd(byte[] p, byte[] option) {
        int end = OptionSpan.endOffset(p);
        byte[] out = Arrays.copyOf(p, p.length + option.length);
        System.arraycopy(option, 0, out, end, option.length);
        System.arraycopy(p, end, out, end + option.length, p.length - end);
        return out;
    }

    private static byte[] option(int code, byte[] value) {
        byte[] o = new byte[2 + value.length];
        o[0] = (byte) code;
        o[1] = (byte) value.length;
        System.arraycopy(value, 0, o, 2, value.length);
        return o;
    }

    private static void setAddress(byte[] p, int offset, int address) {
        System.arraycopy(int4(address), 0, p, offset, 4);
    }

    private static byte[] int4(int v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    private static int toInt(byte[] b) {
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }
}
