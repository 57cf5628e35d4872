package lab.dhcp.codec;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.dhcp4java.DHCPPacket;

/**
 * A parsed DHCP packet as it arrived.
 *
 * @param packet    the decoded BOOTREQUEST
 * @param sender    where it came from (0.0.0.0:68 for a client without an address, relay:67 for a relay)
 * @param recipient where it was sent: 255.255.255.255 for a broadcast, the server's address for a unicast
 *                  (from IP_RECVORIGDSTADDR); tells RENEWING from REBINDING
 */
public record DhcpDatagram(DHCPPacket packet, InetSocketAddress sender, InetSocketAddress recipient) {

    public DhcpDatagram {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
    }

    /** True when the packet was sent to the limited broadcast address. */
    public boolean broadcast() {
        byte[] a = recipient.getAddress().getAddress();
        return a.length == 4 && (a[0] & a[1] & a[2] & a[3]) == (byte) 0xFF;
    }
}
