package lab.dhcp.engine;

import static org.dhcp4java.DHCPConstants.DHCPREQUEST;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_CLIENT_IDENTIFIER;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_MAX_MESSAGE_SIZE;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_PARAMETER_REQUEST_LIST;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_REQUESTED_ADDRESS;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_SERVER_IDENTIFIER;
import static org.dhcp4java.DHCPConstants.DHO_HOST_NAME;
import static org.dhcp4java.DHCPConstants.DHO_VENDOR_CLASS_IDENTIFIER;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import lab.dhcp.Ipv4;
import lab.dhcp.MacAddress;
import lab.dhcp.codec.DhcpDatagram;
import lab.dhcp.codec.DhcpReply;
import org.dhcp4java.DHCPPacket;

/**
 * The fields of one request that the processors decide on, read once and checked.
 *
 * @param datagram       the request as received
 * @param messageType    option 53
 * @param mac            chaddr, the client's identity
 * @param clientId       option 61 as lowercase hex, "" if absent (recorded, never a key)
 * @param requestedIp    option 50
 * @param serverId       option 54
 * @param ciaddr         the client's own address, 0.0.0.0 when it has none
 * @param giaddr         the relay's address, 0.0.0.0 when not relayed
 * @param hostname       option 12 as sent by the client
 * @param vendorClass    option 60
 * @param requestList    option 55, empty when absent
 * @param maxMessageSize option 57, at least 576
 */
public record ClientContext(DhcpDatagram datagram, byte messageType, MacAddress mac, String clientId,
                            Optional<Inet4Address> requestedIp, Optional<Inet4Address> serverId,
                            Inet4Address ciaddr, Inet4Address giaddr, Optional<String> hostname,
                            Optional<String> vendorClass, byte[] requestList, int maxMessageSize) {

    /**
     * Reads a decoded request. Throws {@link IllegalArgumentException} when a field the processors rely on is
     * malformed (dhcp4java's typed getters throw after a successful parse on wrong option lengths).
     */
    public static ClientContext of(DhcpDatagram datagram) {
        DHCPPacket p = datagram.packet();
        Byte type = p.getDHCPMessageType();
        if (type == null) {
            throw new IllegalArgumentException("no DHCP message type (option 53)");
        }
        byte[] rawId = p.getOptionRaw(DHO_DHCP_CLIENT_IDENTIFIER);
        byte[] prl = p.getOptionRaw(DHO_DHCP_PARAMETER_REQUEST_LIST);
        Short maxSize = p.containsOption(DHO_DHCP_MAX_MESSAGE_SIZE) ? p.getOptionAsShort(DHO_DHCP_MAX_MESSAGE_SIZE) : null;
        return new ClientContext(datagram, type, MacAddress.of(p.getChaddr()),
                rawId == null ? "" : HexFormat.of().formatHex(rawId),
                address(p, DHO_DHCP_REQUESTED_ADDRESS), address(p, DHO_DHCP_SERVER_IDENTIFIER),
                v4(p.getCiaddr()), v4(p.getGiaddr()),
                text(p, DHO_HOST_NAME), text(p, DHO_VENDOR_CLASS_IDENTIFIER),
                prl == null ? new byte[0] : prl,
                maxSize == null ? DhcpReply.MIN_MESSAGE_SIZE : Math.max(DhcpReply.MIN_MESSAGE_SIZE, maxSize & 0xFFFF));
    }

    public int xid() {
        return datagram.packet().getXid();
    }

    public boolean relayed() {
        return !Ipv4.isUnspecified(giaddr);
    }

    /** A REQUEST of a client in INIT-REBOOT state (RFC 2131 §4.3.2): option 50, no server identifier, no ciaddr. */
    public boolean initReboot() {
        return messageType == DHCPREQUEST && serverId.isEmpty() && requestedIp.isPresent() && !hasCiaddr();
    }

    public boolean hasCiaddr() {
        return !Ipv4.isUnspecified(ciaddr);
    }

    /** True when option 55 lists {@code code}. */
    public boolean requests(byte code) {
        for (byte b : requestList) {
            if (b == code) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Inet4Address> address(DHCPPacket p, byte code) {
        if (!p.containsOption(code)) {
            return Optional.empty();
        }
        return Optional.of(v4(p.getOptionAsInetAddr(code)));
    }

    private static Inet4Address v4(InetAddress address) {
        if (address instanceof Inet4Address v4) {
            return v4;
        }
        throw new IllegalArgumentException("not an IPv4 address: " + address);
    }

    private static Optional<String> text(DHCPPacket p, byte code) {
        byte[] raw = p.getOptionRaw(code);
        if (raw == null) {
            return Optional.empty();
        }
        int end = raw.length;
        while (end > 0 && raw[end - 1] == 0) {
            end--; // some clients NUL-terminate option 12
        }
        return end == 0 ? Optional.empty() : Optional.of(new String(raw, 0, end, StandardCharsets.UTF_8));
    }
}
