package lab.dhcp.codec;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.dhcp4java.DHCPPacket;

/**
 * A BOOTREPLY ready to leave.
 *
 * @param packet         the reply
 * @param recipient      where to send it (255.255.255.255:68, ciaddr:68, or giaddr:67)
 * @param maxMessageSize the largest DHCP message the client accepts (option 57, at least 576, RFC 2132 §9.10);
 *                       the encoder drops optional options until the reply fits
 */
public record DhcpReply(DHCPPacket packet, InetSocketAddress recipient, int maxMessageSize) {

    /** RFC 2131 §2: every client accepts a 576-byte IP datagram. */
    public static final int MIN_MESSAGE_SIZE = 576;

    public DhcpReply {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(recipient, "recipient");
        if (maxMessageSize < MIN_MESSAGE_SIZE) {
            maxMessageSize = MIN_MESSAGE_SIZE;
        }
    }
}
