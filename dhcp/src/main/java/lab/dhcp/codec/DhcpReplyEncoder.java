package lab.dhcp.codec;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.dhcp4java.DHCPOption;
import org.dhcp4java.DHCPPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Serializes a {@link DhcpReply} into a datagram for its recipient, within the client's maximum message size.
 *
 * <p>dhcp4java's {@code serialize(min, max)} ignores {@code max}, so this encoder enforces the limit itself:
 * the DHCP message (the UDP payload) may be at most {@code min(maxMessageSize, 1500) - 28} bytes, since option 57
 * counts the IP and UDP headers (RFC 2132 §9.10). Steps, on a copy of the reply's packet:
 * <ol>
 * <li>clear the padding a packet cloned from a request carries (the reply is padded afresh);</li>
 * <li>remove any option longer than 255 bytes, which dhcp4java would refuse to serialize (no RFC 3396);</li>
 * <li>while too big, remove optional options in {@link #TRIM_ORDER}: first every option not named there, highest
 *     code first; then the named ones, least useful to a booting lab VM first; as a last resort 3 (an RFC 3442
 *     client ignores it when 121 is present), 121 and 1. Options 53, 54, 51 (RFC 2131 §4.3.1 table 3) and 82
 *     (RFC 3046 §2.2: the relay needs it back) are never removed;</li>
 * <li>if it still does not fit, drop the reply and count it as {@link DropReason#OVERSIZED_REPLY}. With the
 *     smallest limit (548) this cannot happen today: the header and the never-removed options take at most
 *     513 bytes. The check stays so that a future never-removed option cannot send an oversized reply;</li>
 * <li>serialize, padded with zeros to at least 300 bytes, the BOOTP minimum (RFC 951), as dhcp4java does.</li>
 * </ol>
 * A dropped reply fails its write with an {@link UnsendableReplyException}, already counted here.
 */
public final class DhcpReplyEncoder extends MessageToMessageEncoder<DhcpReply> {

    /** IPv4 header without options (20) plus UDP header (8). */
    public static final int IP_UDP_HEADER_SIZE = 28;

    /** The BOOTP minimum message size (236-byte header plus 64-byte vendor field, RFC 951). */
    public static final int MIN_MESSAGE_SIZE = 300;

    /** Largest IP datagram sent: one Ethernet MTU, and dhcp4java's own ceiling. */
    public static final int MAX_DATAGRAM_SIZE = 1500;

    /**
     * Named optional options, removed in this order when a reply is too big; those not named go before them.
     * 252 WPAD, 43 vendor-specific, 60 vendor class, 66/67 TFTP server and boot file, 42 NTP, 28 broadcast,
     * 26 MTU, 119 domain search, 59/58 rebinding/renewal time (clients default them from 51), 15 domain name,
     * 12 host name, 6 DNS servers; then the last resort 3 router, 121 classless routes, 1 subnet mask.
     */
    public static final List<Integer> TRIM_ORDER =
            List.of(252, 43, 60, 66, 67, 42, 28, 26, 119, 59, 58, 15, 12, 6, 3, 121, 1);

    /** Options never removed: message type, server identifier, lease time, relay agent information. */
    public static final Set<Integer> NEVER_TRIMMED = Set.of(53, 54, 51, 82);

    private static final Logger LOG = LoggerFactory.getLogger(DhcpReplyEncoder.class);
    private static final int FIXED_PART = 240;   // BOOTP header + magic cookie
    private static final int END_OPTION = 1;

    private final DhcpTrafficCounters counters;
    private final ThrottledLog dropLog;

    public DhcpReplyEncoder(DhcpTrafficCounters counters, Clock clock) {
        super(DhcpReply.class);
        this.counters = Objects.requireNonNull(counters, "counters");
        this.dropLog = new ThrottledLog(LOG, Level.WARN, clock, Duration.ofSeconds(1));
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, DhcpReply reply, List<Object> out) {
        byte[] bytes = serialize(reply);
        out.add(new DatagramPacket(Unpooled.wrappedBuffer(bytes), reply.recipient()));
    }

    private byte[] serialize(DhcpReply reply) {
        int limit = Math.min(reply.maxMessageSize(), MAX_DATAGRAM_SIZE) - IP_UDP_HEADER_SIZE;
        DHCPPacket packet = reply.packet();
        if (fitsAsIs(packet, limit)) {
            // Nearly every reply: nothing to trim, so no copy and no trim order (this runs for every packet sent).
            return serializeChecked(reply, packet, limit, List.of());
        }
        packet = packet.clone();
        packet.setPadding(new byte[0]);
        List<Integer> removed = new ArrayList<>();
        for (DHCPOption option : packet.getOptionsArray()) {
            if (option.getValueFast().length > DhcpOptions.MAX_VALUE_LENGTH) {
                remove(packet, DhcpOptions.unsigned(option.getCode()), removed);
            }
        }
        for (int code : trimCandidates(packet)) {
            if (size(packet) <= limit) {
                break;
            }
            remove(packet, code, removed);
        }
        int size = size(packet);
        if (size > limit) {
            throw unsendable(reply, DropReason.OVERSIZED_REPLY,
                    "reply of " + size + " bytes does not fit max_message=" + limit, null);
        }
        return serializeChecked(reply, packet, limit, removed);
    }

    private byte[] serializeChecked(DhcpReply reply, DHCPPacket packet, int limit, List<Integer> removed) {
        byte[] bytes;
        try {
            bytes = packet.serialize(MIN_MESSAGE_SIZE, limit);
        } catch (RuntimeException e) {
            throw unsendable(reply, DropReason.UNENCODABLE_REPLY, "dhcp4java cannot serialize the reply", e);
        }
        if (bytes.length > limit) {
            // size() mirrors dhcp4java's layout; a mismatch means a packet this encoder does not understand.
            throw unsendable(reply, DropReason.OVERSIZED_REPLY,
                    "serialized reply of " + bytes.length + " bytes exceeds max_message=" + limit, null);
        }
        if (!removed.isEmpty()) {
            LOG.debug("trimmed reply options={} size={} max_message={}", removed, bytes.length, limit);
        }
        return bytes;
    }

    /** True when the reply needs no trimming: it fits the limit, has no padding and no option over 255 bytes. */
    private static boolean fitsAsIs(DHCPPacket packet, int limit) {
        if (packet.getPadding().length > 0) {
            return false;
        }
        for (DHCPOption option : packet.getOptionsArray()) {
            if (option.getValueFast().length > DhcpOptions.MAX_VALUE_LENGTH) {
                return false;
            }
        }
        return size(packet) <= limit;
    }

    private void remove(DHCPPacket packet, int code, List<Integer> removed) {
        packet.removeOption((byte) code);
        removed.add(code);
        counters.optionTrimmed();
    }

    /** The options of this packet that may go, in the order they go. */
    private static List<Integer> trimCandidates(DHCPPacket packet) {
        List<Integer> present = new ArrayList<>();
        for (DHCPOption option : packet.getOptionsArray()) {
            present.add(DhcpOptions.unsigned(option.getCode()));
        }
        List<Integer> order = new ArrayList<>();
        present.stream()
                .filter(code -> !TRIM_ORDER.contains(code) && !NEVER_TRIMMED.contains(code))
                .sorted((a, b) -> Integer.compare(b, a))
                .forEach(order::add);
        TRIM_ORDER.stream().filter(present::contains).forEach(order::add);
        return order;
    }

    /** The serialized size: header, cookie, each option as code + length + value, END, then BOOTP padding. */
    private static int size(DHCPPacket packet) {
        int size = FIXED_PART + END_OPTION + packet.getPadding().length;
        for (DHCPOption option : packet.getOptionsArray()) {
            size += 2 + option.getValueFast().length;
        }
        return Math.max(size, MIN_MESSAGE_SIZE);
    }

    private UnsendableReplyException unsendable(DhcpReply reply, DropReason reason, String message,
                                                Throwable cause) {
        counters.dropped(reason);
        dropLog.log("dropped DHCP reply reason={} recipient={} detail=\"{}\"", reason.label(), reply.recipient(),
                cause == null ? message : message + ": " + cause);
        return new UnsendableReplyException(reason, message, cause);
    }
}
