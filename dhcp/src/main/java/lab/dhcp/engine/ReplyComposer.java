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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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

    private final DhcpSettings settings;
    private final byte[] classlessRoutes;

    ReplyComposer(DhcpSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.classlessRoutes = settings.classlessRoutes().isEmpty()
                ? null : ClasslessRouteOption.encode(settings.classlessRoutes());
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
        reply.setOptionAsInetAddress(DHO_DHCP_SERVER_IDENTIFIER, settings.serverAddress());
        return reply;
    }

    private void leaseOptions(DHCPPacket reply, ClientContext client, Optional<String> hostname, boolean withTimes) {
        if (withTimes) {
            reply.setOptionAsInt(DHO_DHCP_LEASE_TIME, seconds(settings.leaseTime().toSeconds()));
            reply.setOptionAsInt(DHO_DHCP_RENEWAL_TIME, seconds(settings.renewTime().toSeconds()));
            reply.setOptionAsInt(DHO_DHCP_REBINDING_TIME, seconds(settings.rebindTime().toSeconds()));
        }
        reply.setOptionAsInetAddress(DHO_SUBNET_MASK, settings.subnetMask());
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
        switch (code) {
            case DHO_ROUTERS -> addresses(reply, DHO_ROUTERS, settings.router().stream().toList());
            case DHO_DOMAIN_NAME_SERVERS -> addresses(reply, DHO_DOMAIN_NAME_SERVERS, settings.dns());
            case DHO_HOST_NAME -> hostname.ifPresent(h -> reply.setOptionRaw(DHO_HOST_NAME, ascii(h)));
            case DHO_DOMAIN_NAME -> settings.domain().ifPresent(d -> reply.setOptionRaw(DHO_DOMAIN_NAME, ascii(d)));
            case DHO_INTERFACE_MTU -> settings.mtu().ifPresent(m -> reply.setOptionAsShort(DHO_INTERFACE_MTU, (short) m));
            case DHO_BROADCAST_ADDRESS -> reply.setOptionAsInetAddress(DHO_BROADCAST_ADDRESS, settings.broadcastAddress());
            case DHO_NTP_SERVERS -> addresses(reply, DHO_NTP_SERVERS, settings.ntp());
            case DHO_CLASSLESS_ROUTE -> {
                if (classlessRoutes != null) {
                    reply.setOptionRaw(DHO_CLASSLESS_ROUTE, classlessRoutes);
                }
            }
            default -> {
                // Options we have no value for are simply not sent (RFC 2131 §4.3.1).
            }
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

    private static void addresses(DHCPPacket reply, byte code, List<Inet4Address> list) {
        if (!list.isEmpty()) {
            reply.setOptionAsInetAddresses(code, list.toArray(InetAddress[]::new));
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static int seconds(long s) {
        return (int) Math.min(s, 0xFFFF_FFFEL);
    }
}
