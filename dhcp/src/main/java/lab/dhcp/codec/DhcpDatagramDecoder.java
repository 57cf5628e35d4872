package lab.dhcp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dhcp4java.DHCPBadPacketException;
import org.dhcp4java.DHCPPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Turns UDP datagrams into {@link DhcpDatagram}s, dropping and counting anything this server must not answer.
 *
 * <p>Checks, in order: size (240..1500 bytes), op = BOOTREQUEST, Ethernet htype/hlen, the DHCP magic cookie,
 * dhcp4java's parse, an END option, option 53 of length 1, and the length of the fixed-size options the engine
 * reads (50, 51, 54, 57), because dhcp4java's typed getters throw on a wrong length long after a successful
 * parse. Nothing escapes into the pipeline: every failure, expected or not, becomes a counted drop, logged as a
 * WARN at most once per second.
 *
 * <p>An option that appears more than once is one option, its values concatenated in order (RFC 3396 §7); dhcp4java
 * keeps only the last instance, so the decoder puts the concatenation in its place before the checks. A repeated
 * fixed-size option then has the wrong length and is dropped, rather than read as whichever instance came last.
 *
 * <p>The size limit is 1500 bytes, one Ethernet MTU: DHCP clients send requests in a single unfragmented frame
 * (RFC 2131 §2 only requires 576), dhcp4java refuses anything larger itself, and the limit keeps the copy per
 * packet small. A larger datagram is counted as {@link DropReason#OVERSIZED_REQUEST} rather than malformed.
 */
public final class DhcpDatagramDecoder extends MessageToMessageDecoder<DatagramPacket> {

    /** Largest request accepted: one Ethernet MTU, and dhcp4java's own limit. */
    public static final int MAX_REQUEST_SIZE = 1500;

    /** The fixed BOOTP header (236 bytes, RFC 951) plus the DHCP magic cookie (RFC 2131 §3). */
    static final int MIN_REQUEST_SIZE = 240;

    private static final Logger LOG = LoggerFactory.getLogger(DhcpDatagramDecoder.class);
    private static final int MAGIC_COOKIE = 0x63825363;
    /** Options follow the fixed header and the cookie. */
    private static final int OPTIONS_START = MIN_REQUEST_SIZE;
    private static final int PAD = 0;
    private static final int END = 255;
    private static final byte BOOTREQUEST = 1;
    private static final byte HTYPE_ETHERNET = 1;
    private static final byte HLEN_ETHERNET = 6;
    /** Options with one legal length that the engine reads through dhcp4java's typed getters. */
    private static final int[][] FIXED_LENGTH_OPTIONS = {{50, 4}, {51, 4}, {54, 4}, {57, 2}};

    private final DhcpTrafficCounters counters;
    private final ThrottledLog dropLog;

    public DhcpDatagramDecoder(DhcpTrafficCounters counters, Clock clock) {
        super(DatagramPacket.class);
        this.counters = Objects.requireNonNull(counters, "counters");
        this.dropLog = new ThrottledLog(LOG, Level.WARN, clock, Duration.ofSeconds(1));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket datagram, List<Object> out) {
        InetSocketAddress sender = datagram.sender();
        try {
            DhcpDatagram decoded = decode(datagram);
            if (decoded != null) {
                counters.received(DhcpMessageType.of(decoded.packet().getDHCPMessageType() & 0xFF));
                out.add(decoded);
            }
        } catch (Rejected e) {
            drop(e.reason, sender, e.getMessage());
        } catch (DHCPBadPacketException e) {
            drop(DropReason.MALFORMED, sender, e.getMessage());
        } catch (RuntimeException e) {
            // dhcp4java throws more than its own exception type on hostile input; none of it may reach the pipeline.
            drop(DropReason.MALFORMED, sender, e.toString());
        }
    }

    private DhcpDatagram decode(DatagramPacket datagram) {
        ByteBuf content = datagram.content();
        int size = content.readableBytes();
        if (size > MAX_REQUEST_SIZE) {
            throw new Rejected(DropReason.OVERSIZED_REQUEST, size + " bytes, more than " + MAX_REQUEST_SIZE);
        }
        if (size < MIN_REQUEST_SIZE) {
            throw new Rejected(DropReason.TRUNCATED, size + " bytes, less than " + MIN_REQUEST_SIZE);
        }
        int start = content.readerIndex();
        byte op = content.getByte(start);
        if (op != BOOTREQUEST) {
            throw new Rejected(DropReason.NOT_BOOTREQUEST, "op=" + op);
        }
        byte htype = content.getByte(start + 1);
        byte hlen = content.getByte(start + 2);
        if (htype != HTYPE_ETHERNET || hlen != HLEN_ETHERNET) {
            throw new Rejected(DropReason.NOT_ETHERNET, "htype=" + htype + " hlen=" + hlen);
        }
        if (content.getInt(start + 236) != MAGIC_COOKIE) {
            throw new Rejected(DropReason.NOT_DHCP, "no DHCP magic cookie (BOOTP)");
        }
        if (datagram.sender() == null || datagram.recipient() == null) {
            throw new Rejected(DropReason.MALFORMED, "datagram without sender or recipient address");
        }
        byte[] bytes = ByteBufUtil.getBytes(content);
        // Not strict: a missing END option is reported as TRUNCATED below instead of a generic parse failure.
        DHCPPacket packet = DHCPPacket.getPacket(bytes, 0, bytes.length, false);
        if (packet.isTruncated()) {
            throw new Rejected(DropReason.TRUNCATED, "options end without an END option");
        }
        joinRepeatedOptions(bytes, packet);
        byte[] type = packet.getOptionRaw((byte) 53);
        if (type == null || type.length != 1) {
            throw new Rejected(DropReason.NO_MESSAGE_TYPE,
                    type == null ? "no option 53" : "option 53 has length " + type.length);
        }
        for (int[] fixed : FIXED_LENGTH_OPTIONS) {
            byte[] value = packet.getOptionRaw((byte) fixed[0]);
            if (value != null && value.length != fixed[1]) {
                throw new Rejected(DropReason.MALFORMED,
                        "option " + fixed[0] + " has length " + value.length + ", expected " + fixed[1]);
            }
        }
        return new DhcpDatagram(packet, datagram.sender(), datagram.recipient());
    }

    /**
     * Replaces each option that appears more than once by the concatenation of its instances (RFC 3396 §7). Called
     * once dhcp4java found the END option, so every option before it lies within {@code bytes}. The first pass only
     * notes which codes it has seen (four longs): requests from real clients repeat nothing and allocate nothing here.
     */
    private static void joinRepeatedOptions(byte[] bytes, DHCPPacket packet) {
        long[] seen = new long[4];
        long[] repeated = new long[4];
        boolean any = false;
        for (int i = OPTIONS_START; i < bytes.length && (bytes[i] & 0xFF) != END; ) {
            int code = bytes[i] & 0xFF;
            if (code == PAD) {
                i++;
                continue;
            }
            long bit = 1L << (code & 63);
            if ((seen[code >>> 6] & bit) != 0) {
                repeated[code >>> 6] |= bit;
                any = true;
            }
            seen[code >>> 6] |= bit;
            i += 2 + (bytes[i + 1] & 0xFF);
        }
        if (!any) {
            return;
        }
        Map<Integer, ByteArrayOutputStream> joined = new LinkedHashMap<>();
        for (int i = OPTIONS_START; i < bytes.length && (bytes[i] & 0xFF) != END; ) {
            int code = bytes[i] & 0xFF;
            if (code == PAD) {
                i++;
                continue;
            }
            int length = bytes[i + 1] & 0xFF;
            if ((repeated[code >>> 6] & (1L << (code & 63))) != 0) {
                joined.computeIfAbsent(code, c -> new ByteArrayOutputStream()).write(bytes, i + 2, length);
            }
            i += 2 + length;
        }
        joined.forEach((code, value) -> packet.setOptionRaw((byte) (int) code, value.toByteArray()));
    }

    private void drop(DropReason reason, InetSocketAddress sender, String detail) {
        counters.dropped(reason);
        dropLog.log("dropped DHCP request reason={} sender={} detail=\"{}\"", reason.label(), sender,
                DhcpOptions.printable(String.valueOf(detail)));
    }

    /** A request that fails a check; control flow inside this decoder only, never thrown out of it. */
    private static final class Rejected extends RuntimeException {
        private final DropReason reason;

        Rejected(DropReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
