package lab.dhcp.engine;

import static org.dhcp4java.DHCPConstants.BOOTREPLY;
import static org.dhcp4java.DHCPConstants.DHCPACK;
import static org.dhcp4java.DHCPConstants.DHCPNAK;
import static org.dhcp4java.DHCPConstants.DHCPOFFER;
import static org.dhcp4java.DHCPConstants.DHO_BROADCAST_ADDRESS;
import static org.dhcp4java.DHCPConstants.DHO_CLASSLESS_ROUTE;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_AGENT_OPTIONS;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_LEASE_TIME;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_REBINDING_TIME;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_RENEWAL_TIME;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_SERVER_IDENTIFIER;
import static org.dhcp4java.DHCPConstants.DHO_DOMAIN_NAME;
import static org.dhcp4java.DHCPConstants.DHO_DOMAIN_NAME_SERVERS;
import static org.dhcp4java.DHCPConstants.DHO_HOST_NAME;
import static org.dhcp4java.DHCPConstants.DHO_INTERFACE_MTU;
import static org.dhcp4java.DHCPConstants.DHO_NTP_SERVERS;
import static org.dhcp4java.DHCPConstants.DHO_ROUTERS;
import static org.dhcp4java.DHCPConstants.DHO_SUBNET_MASK;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import lab.dhcp.Ipv4;
import lab.dhcp.codec.ClasslessRouteOption;
import lab.dhcp.codec.DhcpReply;
import org.dhcp4java.DHCPPacket;

/**
 * Builds OFFER, ACK and NAK replies: header fields copied as RFC 2131 §4.3.1 table 3 says, options chosen by the
 * client's parameter request list (option 55) and placed in its order, and the destination chosen per RFC 2131
 * §4.1: a relay gets it on port 67; a NAK or a client without an address gets a broadcast (we cannot unicast to a
 * hardware address from Java); a client with an address gets a unicast.
 */
final class ReplyComposer {

    private static final int CLIENT_PORT = 68;
    private static final int SERVER_PORT = 67;
    private static final short BROADCAST_FLAG = (short) 0x8000;
    private static final InetSocketAddress LIMITED_BROADCAST = new InetSocketAddress(Ipv4.fromInt(-1), CLIENT_PORT);
    /** Sent when a client has no option 55 (old BOOTP-era clients): the basics; never 121 unasked (RFC 3442 §2). */
    private static final byte[] DEFAULT_REQUEST_LIST = {DHO_ROUTERS, DHO_DOMAIN_NAME_SERVERS, DHO_DOMAIN_NAME};

    /** Every option whose value is the same for all clients of the subnet, encoded once, by unsigned option code. */
    private final byte[][] fixed = new byte[256][];

    /**
     * @param serverAddress the server identifier (option 54), the appliance's address whichever subnet answers
     * @param subnet        the subnet whose options and lease times the replies carry
     */
    ReplyComposer(Inet4Address serverAddress, Subnet subnet) {
        Objects.requireNonNull(serverAddress, "serverAddress");
        Objects.requireNonNull(subnet, "subnet");
        put(DHO_DHCP_SERVER_IDENTIFIER, serverAddress.getAddress());
        put(DHO_DHCP_LEASE_TIME, seconds(subnet.leaseTime().toSeconds()));
        put(DHO_DHCP_RENEWAL_TIME, seconds(subnet.renewTime().toSeconds()));
        put(DHO_DHCP_REBINDING_TIME, seconds(subnet.rebindTime().toSeconds()));
        put(DHO_SUBNET_MASK, subnet.subnetMask().getAddress());
        put(DHO_BROADCAST_ADDRESS, subnet.broadcastAddress().getAddress());
        subnet.router().ifPresent(r -> put(DHO_ROUTERS, r.getAddress()));
        put(DHO_DOMAIN_NAME_SERVERS, addresses(subnet.dns()));
        put(DHO_NTP_SERVERS, addresses(subnet.ntp()));
        subnet.domain().ifPresent(d -> put(DHO_DOMAIN_NAME, ascii(d)));
        subnet.mtu().ifPresent(m -> put(DHO_INTERFACE_MTU, new byte[] {(byte) (m >>> 8), (byte) m}));
        if (!subnet.classlessRoutes().isEmpty()) {
            put(DHO_CLASSLESS_ROUTE, ClasslessRouteOption.encode(subnet.classlessRoutes()));
        }
    }

    DhcpReply offer(ClientContext client, Inet4Address address, Optional<String> hostname) {
        DHCPPacket reply = header(client, DHCPOFFER);
        reply.setYiaddr(address);
        leaseOptions(reply, client, hostname, true);
        return finish(reply, client, destination(client, false));
    }

    DhcpReply ack(ClientContext client, Inet4Address address, Optional<String> hostname) {
        DHCPPacket reply = header(client, DHCPACK);
        reply.setCiaddr(client.ciaddr());
        reply.setYiaddr(address);
        leaseOptions(reply, client, hostname, true);
        return finish(reply, client, destination(client, false));
    }

    /**
     * An ACK that grants only what is left of an existing lease: for an address that left every pool on reload,
     * whose lease stays valid until it expires and is not extended. T1 and T2 keep their usual fractions of it.
     */
    DhcpReply ackRemaining(ClientContext client, Inet4Address address, Optional<String> hostname, Duration remaining) {
        DHCPPacket reply = header(client, DHCPACK);
        reply.setCiaddr(client.ciaddr());
        reply.setYiaddr(address);
        long seconds = Math.max(1, remaining.toSeconds());
        reply.setOptionRaw(DHO_DHCP_LEASE_TIME, seconds(seconds));
        reply.setOptionRaw(DHO_DHCP_RENEWAL_TIME, seconds(Math.max(1, seconds / 2)));
        reply.setOptionRaw(DHO_DHCP_REBINDING_TIME, seconds(Math.max(1, seconds * 7 / 8)));
        leaseOptions(reply, client, hostname, false);
        return finish(reply, client, destination(client, false));
    }

    /** RFC 2131 §4.3.5: an ACK to INFORM carries configuration but no address and no lease times. */
    DhcpReply informAck(ClientContext client, Optional<String> hostname) {
        DHCPPacket reply = header(client, DHCPACK);
        reply.setCiaddr(client.ciaddr());
        leaseOptions(reply, client, hostname, false);
        InetSocketAddress to = client.relayed()
                ? new InetSocketAddress(client.giaddr(), SERVER_PORT)
                : new InetSocketAddress(client.ciaddr(), CLIENT_PORT);
        return finish(reply, client, to);
    }

    DhcpReply nak(ClientContext client) {
        DHCPPacket reply = header(client, DHCPNAK);
        if (client.relayed()) {
            // RFC 2131 §4.3.2: through a relay the NAK must be broadcast on the client's segment.
            reply.setFlags((short) (reply.getFlags() | BROADCAST_FLAG));
        }
        return finish(reply, client, destination(client, true));
    }

    private DHCPPacket header(ClientContext client, byte type) {
        DHCPPacket request = client.datagram().packet();
        DHCPPacket reply = new DHCPPacket();
        reply.setOp(BOOTREPLY);
        reply.setHtype(request.getHtype());
        reply.setHlen(request.getHlen());
        reply.setXid(request.getXid());
        reply.setFlags(request.getFlags());
        reply.setGiaddrRaw(request.getGiaddrRaw());
        reply.setChaddr(request.getChaddr());
        reply.setDhcp(true);
        reply.setDHCPMessageType(type);
        set(reply, DHO_DHCP_SERVER_IDENTIFIER);
        return reply;
    }

    private void leaseOptions(DHCPPacket reply, ClientContext client, Optional<String> hostname, boolean withTimes) {
        if (withTimes) {
            set(reply, DHO_DHCP_LEASE_TIME);
            set(reply, DHO_DHCP_RENEWAL_TIME);
            set(reply, DHO_DHCP_REBINDING_TIME);
        }
        set(reply, DHO_SUBNET_MASK);
        byte[] wanted = client.requestList().length > 0 ? client.requestList() : DEFAULT_REQUEST_LIST;
        for (byte code : wanted) {
            addRequested(reply, code, hostname);
        }
        if (hostname.isPresent() && !reply.containsOption(DHO_HOST_NAME)) {
            // A reserved hostname is the VM's identity; clients that did not list 12 still accept it.
            addRequested(reply, DHO_HOST_NAME, hostname);
        }
    }

    /** RFC 3046 §2.2: a relay's agent information option is echoed, and last. */
    private static DhcpReply finish(DHCPPacket reply, ClientContext client, InetSocketAddress to) {
        byte[] agentInfo = client.datagram().packet().getOptionRaw(DHO_DHCP_AGENT_OPTIONS);
        if (agentInfo != null) {
            reply.setOptionRaw(DHO_DHCP_AGENT_OPTIONS, agentInfo);
        }
        return new DhcpReply(reply, to, client.maxMessageSize());
    }

    private void addRequested(DHCPPacket reply, byte code, Optional<String> hostname) {
        if (code == DHO_HOST_NAME) {
            hostname.ifPresent(h -> reply.setOptionRaw(DHO_HOST_NAME, ascii(h)));
        } else if (code != DHO_DHCP_SERVER_IDENTIFIER && !isLeaseTime(code)) {
            // Options we have no value for are simply not sent (RFC 2131 §4.3.1).
            set(reply, code);
        }
    }

    private static boolean isLeaseTime(byte code) {
        return code == DHO_DHCP_LEASE_TIME || code == DHO_DHCP_RENEWAL_TIME || code == DHO_DHCP_REBINDING_TIME;
    }

    private void set(DHCPPacket reply, byte code) {
        byte[] value = fixed[code & 0xFF];
        if (value != null) {
            reply.setOptionRaw(code, value);
        }
    }

    private void put(byte code, byte[] value) {
        if (value.length > 0) {
            fixed[code & 0xFF] = value;
        }
    }

    private InetSocketAddress destination(ClientContext client, boolean nak) {
        if (client.relayed()) {
            return new InetSocketAddress(client.giaddr(), SERVER_PORT);
        }
        if (!nak && client.hasCiaddr()) {
            return new InetSocketAddress(client.ciaddr(), CLIENT_PORT);
        }
        return LIMITED_BROADCAST;
    }

    private static byte[] addresses(List<Inet4Address> list) {
        byte[] bytes = new byte[4 * list.size()];
        for (int i = 0; i < list.size(); i++) {
            System.arraycopy(list.get(i).getAddress(), 0, bytes, 4 * i, 4);
        }
        return bytes;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] seconds(long s) {
        int v = (int) Math.min(s, 0xFFFF_FFFEL);
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
