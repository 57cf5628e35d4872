package lab.dhcp.engine;

import static lab.dhcp.engine.EngineFixture.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dhcp4java.DHCPConstants.DHCPACK;
import static org.dhcp4java.DHCPConstants.DHCPOFFER;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import lab.dhcp.codec.DhcpReply;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseState;
import lab.dhcp.server.LeaseNotStoredException;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Test;

/** DISCOVER → OFFER → REQUEST → ACK (RFC 2131 §3.1), with the options cloud-init needs. */
class DoraTest extends EngineExchangeTest {

    @Test
    void offersAPoolAddressWithTheRequestedOptionsAndBroadcastsIt() {
        DhcpReply offer = fx.client(1).discover().orElseThrow();
        DHCPPacket p = offer.packet();

        assertThat(p.getDHCPMessageType()).isEqualTo(DHCPOFFER);
        assertThat(EngineFixture.POOL.contains((Inet4Address) p.getYiaddr())).isTrue();
        assertThat(offer.recipient()).isEqualTo(new InetSocketAddress(ip("255.255.255.255"), 68));
        assertThat(p.getOptionAsInetAddr((byte) 54)).isEqualTo(EngineFixture.SERVER);
        assertThat(p.getOptionAsInetAddr((byte) 1)).isEqualTo(ip("255.255.255.0"));
        assertThat(p.getOptionAsInetAddrs((byte) 3)).containsExactly(EngineFixture.SERVER);
        assertThat(p.getOptionAsInetAddrs((byte) 6)).containsExactly(EngineFixture.SERVER);
        assertThat(p.getOptionAsInetAddrs((byte) 42)).containsExactly(EngineFixture.SERVER);
        assertThat(p.getOptionAsInetAddr((byte) 28)).isEqualTo(ip("192.0.2.255"));
        assertThat(new String(p.getOptionRaw((byte) 15), StandardCharsets.US_ASCII)).isEqualTo("lab.example.org");
        assertThat(p.getOptionAsShort((byte) 26)).isEqualTo((short) 1500);
        assertThat(p.getOptionAsInteger((byte) 51)).isEqualTo(3600);
        assertThat(p.getOptionAsInteger((byte) 58)).isEqualTo(1800);
        assertThat(p.getOptionAsInteger((byte) 59)).isEqualTo(3150);
        // RFC 3442: 169.254.169.254/32 via 192.0.2.1, then 0.0.0.0/0 via 192.0.2.1.
        assertThat(HexFormat.of().formatHex(p.getOptionRaw((byte) 121))).isEqualTo("20a9fea9fec0000201" + "00c0000201");
        assertThat(p.containsOption((byte) 12)).as("no hostname for an unknown MAC").isFalse();
        assertThat(fx.leases.all()).as("an offer writes nothing").isEmpty();
    }

    @Test
    void requestOfTheOfferIsAckedAndTheLeaseIsInTheTableBeforeTheAck() {
        TestDhcpClient client = fx.client(1);
        Inet4Address offered = (Inet4Address) client.discover().orElseThrow().packet().getYiaddr();

        DhcpReply ack = client.requestSelecting(offered).orElseThrow();

        assertThat(ack.packet().getDHCPMessageType()).isEqualTo(DHCPACK);
        assertThat(ack.packet().getYiaddr()).isEqualTo(offered);
        Lease lease = fx.leases.activeByIp(offered).orElseThrow();
        assertThat(lease.mac()).isEqualTo(client.mac());
        assertThat(lease.state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(lease.expires()).isEqualTo(fx.clock.instant().plus(EngineFixture.LEASE_TIME));
        assertThat(lease.profile()).as("a MAC the catalog does not know has no profile").isEmpty();
    }

    @Test
    void reservedMacGetsItsAddressAndHostnameEvenWhenItAsksForAnother() {
        TestDhcpClient client = fx.client("02:00:00:00:01:01");

        DHCPPacket offer = client.discover(Optional.of(ip("192.0.2.105"))).orElseThrow().packet();
        assertThat(offer.getYiaddr()).isEqualTo(EngineFixture.RESERVED_IP);
        assertThat(new String(offer.getOptionRaw((byte) 12), StandardCharsets.US_ASCII)).isEqualTo("waf-edge-1");

        DHCPPacket ack = client.requestSelecting(EngineFixture.RESERVED_IP).orElseThrow().packet();
        assertThat(ack.getDHCPMessageType()).isEqualTo(DHCPACK);
        Lease lease = fx.leases.activeByIp(EngineFixture.RESERVED_IP).orElseThrow();
        assertThat(lease.hostname()).isEqualTo("waf-edge-1");
        assertThat(lease.profile()).as("the catalog's profile is kept with the lease").isEqualTo("waf");
    }

    @Test
    void reservedAddressIsNeverGivenToAnotherMac() {
        TestDhcpClient stranger = fx.client(7);
        DHCPPacket offer = stranger.discover(Optional.of(EngineFixture.RESERVED_IP)).orElseThrow().packet();
        assertThat(offer.getYiaddr()).isNotEqualTo(EngineFixture.RESERVED_IP);

        DHCPPacket reply = stranger.requestInitReboot(EngineFixture.RESERVED_IP).orElseThrow().packet();
        assertThat(reply.getDHCPMessageType()).isEqualTo(org.dhcp4java.DHCPConstants.DHCPNAK);
    }

    @Test
    void honoursTheRequestedAddressWhenFree() {
        DHCPPacket offer = fx.client(2).discover(Optional.of(ip("192.0.2.107"))).orElseThrow().packet();
        assertThat(offer.getYiaddr()).isEqualTo(ip("192.0.2.107"));
    }

    @Test
    void repeatedDiscoverGetsTheSameOffer() {
        TestDhcpClient client = fx.client(3);
        Inet4Address first = (Inet4Address) client.discover().orElseThrow().packet().getYiaddr();
        Inet4Address second = (Inet4Address) client.discover().orElseThrow().packet().getYiaddr();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void clientWithoutParameterListGetsNoClasslessRoutesButARouter() {
        DHCPPacket offer = fx.client(4).requestList().discover().orElseThrow().packet();
        assertThat(offer.containsOption((byte) 121)).isFalse();
        assertThat(offer.getOptionAsInetAddrs((byte) 3)).containsExactly(EngineFixture.SERVER);
    }

    @Test
    void optionsFollowTheClientsOrder() {
        DHCPPacket offer = fx.client(5).requestList((byte) 121, (byte) 6, (byte) 3).discover().orElseThrow().packet();
        var codes = offer.getOptionsCollection().stream().map(o -> o.getCode() & 0xFF).toList();
        assertThat(codes.indexOf(121)).isLessThan(codes.indexOf(6));
        assertThat(codes.indexOf(6)).isLessThan(codes.indexOf(3));
    }

    @Test
    void relayedRequestIsAnsweredToTheRelayOnPort67() {
        Inet4Address relay = ip("192.0.2.2");
        TestDhcpClient client = fx.client(6).viaRelay(relay);
        DhcpReply offer = client.discover().orElseThrow();
        assertThat(offer.recipient()).isEqualTo(new InetSocketAddress(relay, 67));
        assertThat(offer.packet().getGiaddr()).isEqualTo(relay);

        DhcpReply ack = client.requestSelecting((Inet4Address) offer.packet().getYiaddr()).orElseThrow();
        assertThat(ack.packet().getDHCPMessageType()).isEqualTo(DHCPACK);
        assertThat(ack.recipient()).isEqualTo(new InetSocketAddress(relay, 67));
    }

    @Test
    void relayFromAForeignSubnetIsIgnored() {
        assertThat(fx.client(8).viaRelay(ip("198.51.100.1")).discover()).isEmpty();
    }

    @Test
    void clientIdIsRecordedButDoesNotKeyTheLease() {
        // Two clones share a client identifier; they are still two clients, told apart by MAC.
        byte[] sharedId = {(byte) 0xff, 1, 2, 3, 4};
        TestDhcpClient a = fx.client(10).clientId(sharedId);
        TestDhcpClient b = fx.client(11).clientId(sharedId);
        Inet4Address ipA = (Inet4Address) a.dora().orElseThrow().packet().getYiaddr();
        Inet4Address ipB = (Inet4Address) b.dora().orElseThrow().packet().getYiaddr();

        assertThat(ipA).isNotEqualTo(ipB);
        assertThat(fx.leases.byIp(ipA).orElseThrow().clientId()).isEqualTo("ff01020304");
    }

    @Test
    void noAckWhenTheLeaseCannotBeWritten() throws Exception {
        TestDhcpClient client = fx.client(12);
        Inet4Address offered = (Inet4Address) client.discover().orElseThrow().packet().getYiaddr();
        fx.leases.close();

        // No reply: the stage fails so that the transport counts the drop (LeaseNotStoredTest covers a full disk).
        assertThatThrownBy(() -> client.requestSelecting(offered))
                .hasRootCauseInstanceOf(LeaseNotStoredException.class);
    }

    @Test
    void informGetsConfigurationWithoutALease() {
        DhcpReply reply = fx.client(13).inform(ip("192.0.2.50")).orElseThrow();
        assertThat(reply.packet().getDHCPMessageType()).isEqualTo(DHCPACK);
        assertThat(reply.packet().getYiaddr()).isEqualTo(ip("0.0.0.0"));
        assertThat(reply.packet().containsOption((byte) 51)).isFalse();
        assertThat(reply.recipient()).isEqualTo(new InetSocketAddress(ip("192.0.2.50"), 68));
        assertThat(fx.leases.all()).isEmpty();
    }
}
