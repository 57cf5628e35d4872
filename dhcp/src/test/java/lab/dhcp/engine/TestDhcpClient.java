package lab.dhcp.engine;

import static org.dhcp4java.DHCPConstants.BOOTREQUEST;
import static org.dhcp4java.DHCPConstants.DHCPDECLINE;
import static org.dhcp4java.DHCPConstants.DHCPDISCOVER;
import static org.dhcp4java.DHCPConstants.DHCPINFORM;
import static org.dhcp4java.DHCPConstants.DHCPRELEASE;
import static org.dhcp4java.DHCPConstants.DHCPREQUEST;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_CLIENT_IDENTIFIER;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_MAX_MESSAGE_SIZE;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_PARAMETER_REQUEST_LIST;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_REQUESTED_ADDRESS;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_SERVER_IDENTIFIER;
import static org.dhcp4java.DHCPConstants.DHO_VENDOR_CLASS_IDENTIFIER;
import static org.dhcp4java.DHCPConstants.HTYPE_ETHER;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import lab.dhcp.Ipv4;
import lab.dhcp.MacAddress;
import lab.dhcp.codec.DhcpDatagram;
import lab.dhcp.codec.DhcpReply;
import lab.dhcp.server.DhcpResponder;
import org.dhcp4java.DHCPPacket;

/**
 * An in-process DHCP client that plays the client side of each exchange (RFC 2131 §4.4) against a
 * {@link DhcpResponder}, the way Kea's Dhcp4Client does in its unit tests. Each call returns the server's reply, if
 * any, after any journal write behind it completed.
 */
public final class TestDhcpClient {

    /** What Debian's dhclient asks for: mask, broadcast, time offset, routers, domain, DNS, hostname, …, 121. */
    public static final byte[] DHCLIENT_REQUEST_LIST = {1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42};

    private static final InetSocketAddress FROM_NOWHERE = new InetSocketAddress(Ipv4.fromInt(0), 68);
    private static final InetSocketAddress TO_BROADCAST = new InetSocketAddress(Ipv4.fromInt(-1), 67);

    private final DhcpResponder server;
    private final MacAddress mac;
    private byte[] requestList = DHCLIENT_REQUEST_LIST;
    private byte[] clientId;
    private Integer maxMessageSize;
    private String vendorClass;
    private Inet4Address relay;
    private Inet4Address address;
    private Inet4Address serverId;

    public TestDhcpClient(DhcpResponder server, MacAddress mac) {
        this.server = server;
        this.mac = mac;
    }

    public TestDhcpClient requestList(byte... codes) {
        this.requestList = codes;
        return this;
    }

    public TestDhcpClient clientId(byte... id) {
        this.clientId = id;
        return this;
    }

    public TestDhcpClient maxMessageSize(int size) {
        this.maxMessageSize = size;
        return this;
    }

    /** Sends option 60 in every message, as {@code udhcpc -V} does. */
    public TestDhcpClient vendorClass(String vendorClass) {
        this.vendorClass = vendorClass;
        return this;
    }

    /**
     * Sends from now on straight to the server, not through the relay: what a RENEWING client behind a relay does
     * (RFC 2131 §4.4.5, unicast to the server identifier).
     */
    public TestDhcpClient direct() {
        this.relay = null;
        return this;
    }

    /** Sends as a relay agent at {@code giaddr} would (as perfdhcp does). */
    public TestDhcpClient viaRelay(Inet4Address giaddr) {
        this.relay = giaddr;
        return this;
    }

    public MacAddress mac() {
        return mac;
    }

    /** The address of the last ACK, if any. */
    public Optional<Inet4Address> address() {
        return Optional.ofNullable(address);
    }

    /** DISCOVER; remembers the offering server. */
    public Optional<DhcpReply> discover() {
        return discover(Optional.empty());
    }

    public Optional<DhcpReply> discover(Optional<Inet4Address> wanted) {
        DHCPPacket p = packet(DHCPDISCOVER);
        wanted.ifPresent(ip -> p.setOptionAsInetAddress(DHO_DHCP_REQUESTED_ADDRESS, ip));
        Optional<DhcpReply> reply = send(p, false);
        reply.ifPresent(r -> serverId = (Inet4Address) r.packet().getOptionAsInetAddr(DHO_DHCP_SERVER_IDENTIFIER));
        return reply;
    }

    /** REQUEST in SELECTING state for {@code ip}, naming the server that offered it. */
    public Optional<DhcpReply> requestSelecting(Inet4Address ip) {
        DHCPPacket p = packet(DHCPREQUEST);
        p.setOptionAsInetAddress(DHO_DHCP_SERVER_IDENTIFIER, serverId);
        p.setOptionAsInetAddress(DHO_DHCP_REQUESTED_ADDRESS, ip);
        return remember(send(p, false));
    }

    /** REQUEST in SELECTING state naming some other server. */
    public Optional<DhcpReply> requestSelectingOther(Inet4Address ip, Inet4Address otherServer) {
        DHCPPacket p = packet(DHCPREQUEST);
        p.setOptionAsInetAddress(DHO_DHCP_SERVER_IDENTIFIER, otherServer);
        p.setOptionAsInetAddress(DHO_DHCP_REQUESTED_ADDRESS, ip);
        return remember(send(p, false));
    }

    /** DISCOVER, then REQUEST of the offered address: the whole DORA. Empty if either step got no answer. */
    public Optional<DhcpReply> dora() {
        Optional<DhcpReply> offer = discover();
        if (offer.isEmpty()) {
            return Optional.empty();
        }
        return requestSelecting((Inet4Address) offer.get().packet().getYiaddr());
    }

    /** REQUEST in INIT-REBOOT state (after a reboot, with a remembered address). */
    public Optional<DhcpReply> requestInitReboot(Inet4Address ip) {
        DHCPPacket p = packet(DHCPREQUEST);
        p.setOptionAsInetAddress(DHO_DHCP_REQUESTED_ADDRESS, ip);
        return remember(send(p, false));
    }

    /** REQUEST in RENEWING state: unicast to the server with ciaddr. */
    public Optional<DhcpReply> renew() {
        DHCPPacket p = packet(DHCPREQUEST);
        p.setCiaddr(address);
        return remember(send(p, true));
    }

    /** REQUEST in REBINDING state: broadcast with ciaddr. */
    public Optional<DhcpReply> rebind() {
        DHCPPacket p = packet(DHCPREQUEST);
        p.setCiaddr(address);
        return remember(send(p, false));
    }

    public void release() {
        DHCPPacket p = packet(DHCPRELEASE);
        p.setCiaddr(address);
        p.setOptionAsInetAddress(DHO_DHCP_SERVER_IDENTIFIER, serverId);
        send(p, true);
        address = null;
    }

    public void decline(Inet4Address ip) {
        DHCPPacket p = packet(DHCPDECLINE);
        p.setOptionAsInetAddress(DHO_DHCP_REQUESTED_ADDRESS, ip);
        p.setOptionAsInetAddress(DHO_DHCP_SERVER_IDENTIFIER, serverId);
        send(p, false);
        address = null;
    }

    public Optional<DhcpReply> inform(Inet4Address ciaddr) {
        DHCPPacket p = packet(DHCPINFORM);
        p.setCiaddr(ciaddr);
        return send(p, true);
    }

    private Optional<DhcpReply> remember(Optional<DhcpReply> reply) {
        reply.ifPresent(r -> {
            if (r.packet().getDHCPMessageType() == org.dhcp4java.DHCPConstants.DHCPACK) {
                address = (Inet4Address) r.packet().getYiaddr();
            } else {
                address = null;
            }
        });
        return reply;
    }

    private DHCPPacket packet(byte type) {
        DHCPPacket p = new DHCPPacket();
        p.setOp(BOOTREQUEST);
        p.setHtype(HTYPE_ETHER);
        p.setHlen((byte) 6);
        p.setXid(ThreadLocalRandom.current().nextInt());
        p.setChaddr(mac.toBytes());
        p.setDhcp(true);
        p.setDHCPMessageType(type);
        if (relay != null) {
            p.setGiaddr(relay);
            p.setHops((byte) 1);
        }
        if (requestList != null && type != DHCPRELEASE && type != DHCPDECLINE) {
            p.setOptionRaw(DHO_DHCP_PARAMETER_REQUEST_LIST, requestList);
        }
        if (clientId != null) {
            p.setOptionRaw(DHO_DHCP_CLIENT_IDENTIFIER, clientId);
        }
        if (maxMessageSize != null) {
            p.setOptionAsShort(DHO_DHCP_MAX_MESSAGE_SIZE, (short) (int) maxMessageSize);
        }
        if (vendorClass != null) {
            p.setOptionAsString(DHO_VENDOR_CLASS_IDENTIFIER, vendorClass);
        }
        return p;
    }

    private Optional<DhcpReply> send(DHCPPacket p, boolean unicast) {
        // Round-trip through bytes, as the wire would, so the engine sees exactly what a parser produces.
        byte[] wire = p.serialize();
        DHCPPacket parsed = DHCPPacket.getPacket(wire, 0, wire.length, true);
        InetSocketAddress from = relay != null ? new InetSocketAddress(relay, 67)
                : unicast && address != null ? new InetSocketAddress(address, 68) : FROM_NOWHERE;
        InetSocketAddress to = unicast && serverId != null ? new InetSocketAddress(serverId, 67) : TO_BROADCAST;
        try {
            return server.respond(new DhcpDatagram(parsed, from, to), Runnable::run).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("exchange failed for " + mac, e);
        }
    }
}
