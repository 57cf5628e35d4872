package lab.dhcp.engine;

import static lab.dhcp.engine.EngineFixture.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.dhcp4java.DHCPConstants.DHCPACK;
import static org.dhcp4java.DHCPConstants.DHCPNAK;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import lab.dhcp.MacAddress;
import lab.dhcp.alloc.AddressPool;
import lab.dhcp.codec.ClasslessRoute;
import lab.dhcp.codec.ClasslessRouteOption;
import lab.dhcp.codec.DhcpReply;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An engine serving 192.0.2.0/24 on its interface and 203.0.113.0/24 behind a relay at 203.0.113.1: a request is
 * answered from the subnet its giaddr (or, unrelayed, its ciaddr) lies in, with that subnet's pool, router, routes and
 * lease time; one lease table keeps a MAC one client wherever it boots.
 */
class SubnetSelectionTest extends EngineExchangeTest {

    private static final Inet4Address RELAY = ip("203.0.113.1");
    private static final Duration RELAYED_LEASE = Duration.ofMinutes(10);
    private static final AddressPool RELAYED_POOL = new AddressPool(ip("203.0.113.100"), ip("203.0.113.109"));
    private static final MacAddress RELAYED_RESERVED_MAC = MacAddress.parse("02:00:00:00:02:01");
    private static final Inet4Address RELAYED_RESERVED_IP = ip("203.0.113.11");
    private static final Subnet RELAYED = new Subnet(ip("203.0.113.0"), 24, List.of(RELAYED_POOL), Optional.of(RELAY),
            List.of(ip("192.0.2.1")), Optional.of("rack-b.example.org"), List.of(), OptionalInt.of(1400),
            List.of(new ClasslessRoute(ip("169.254.169.254"), 32, RELAY), new ClasslessRoute(ip("0.0.0.0"), 0, RELAY)),
            RELAYED_LEASE, RELAYED_LEASE.dividedBy(2), RELAYED_LEASE.multipliedBy(7).dividedBy(8));

    private DhcpEngine engine;

    @BeforeEach
    void engineWithARelayedSubnet() {
        engine = new DhcpEngine(fx.settings, List.of(EngineFixture.POOL), List.of(RELAYED), fx.leases, fx.offers,
                catalog(), DhcpEventListener.NONE, fx.clock);
    }

    @Test
    void relayedClientGetsAnAddressAndTheOptionsOfTheRelaysSubnet() {
        TestDhcpClient client = client(1).viaRelay(RELAY);

        DhcpReply offer = client.discover().orElseThrow();
        DHCPPacket packet = offer.packet();
        assertThat(RELAYED_POOL.contains((Inet4Address) packet.getYiaddr())).isTrue();
        assertThat(offer.recipient()).isEqualTo(new InetSocketAddress(RELAY, 67));
        assertThat(packet.getOptionAsInetAddr((byte) 54)).as("server identifier").isEqualTo(EngineFixture.SERVER);
        assertThat(packet.getOptionAsInetAddr((byte) 1)).isEqualTo(ip("255.255.255.0"));
        assertThat(packet.getOptionAsInetAddrs((byte) 3)).containsExactly(RELAY);
        assertThat(packet.getOptionAsString((byte) 15)).isEqualTo("rack-b.example.org");
        assertThat(packet.getOptionAsShort((byte) 26)).isEqualTo((short) 1400);
        assertThat(ClasslessRouteOption.decode(packet.getOptionRaw((byte) 121))).containsExactly(
                new ClasslessRoute(ip("169.254.169.254"), 32, RELAY), new ClasslessRoute(ip("0.0.0.0"), 0, RELAY));

        DhcpReply ack = client.requestSelecting((Inet4Address) packet.getYiaddr()).orElseThrow();
        assertThat(ack.packet().getDHCPMessageType()).isEqualTo(DHCPACK);
        assertThat(ack.packet().getOptionAsInteger((byte) 51)).isEqualTo((int) RELAYED_LEASE.toSeconds());
        assertThat(fx.leases.activeByIp(client.address().orElseThrow()).orElseThrow().expires())
                .isEqualTo(fx.clock.instant().plus(RELAYED_LEASE));
    }

    @Test
    void directClientStillGetsTheServedSubnet() {
        DHCPPacket ack = client(2).dora().orElseThrow().packet();

        assertThat(EngineFixture.POOL.contains((Inet4Address) ack.getYiaddr())).isTrue();
        assertThat(ack.getOptionAsInetAddrs((byte) 3)).containsExactly(EngineFixture.SERVER);
        assertThat(ack.getOptionAsInteger((byte) 51)).isEqualTo((int) EngineFixture.LEASE_TIME.toSeconds());
    }

    @Test
    void relayInsideTheServedSubnetMeansTheServedSubnet() {
        DHCPPacket offer = client(3).viaRelay(ip("192.0.2.2")).discover().orElseThrow().packet();

        assertThat(EngineFixture.POOL.contains((Inet4Address) offer.getYiaddr())).isTrue();
    }

    @Test
    void relayFromASegmentNoSubnetCoversIsNotAnswered() {
        assertThat(client(4).viaRelay(ip("198.51.100.1")).discover()).isEmpty();
    }

    @Test
    void relayClaimingTheServersOwnAddressIsNotAnswered() {
        // The OFFER would go to giaddr port 67: to our own socket.
        assertThat(client(8).viaRelay(EngineFixture.SERVER).discover()).isEmpty();
    }

    @Test
    void relayAtASegmentsNetworkOrBroadcastAddressIsNotAnswered() {
        assertThat(client(9).viaRelay(ip("203.0.113.255")).discover()).as("relayed segment's broadcast").isEmpty();
        assertThat(client(10).viaRelay(ip("203.0.113.0")).discover()).as("relayed segment's network").isEmpty();
        assertThat(client(11).viaRelay(ip("192.0.2.255")).discover()).as("served subnet's broadcast").isEmpty();
        assertThat(client(12).viaRelay(ip("192.0.2.254")).discover()).as("a host of the served subnet").isPresent();
    }

    @Test
    void reservationCountsOnlyInItsOwnSubnet() {
        assertThat(new TestDhcpClient(engine, RELAYED_RESERVED_MAC).viaRelay(RELAY).dora().orElseThrow()
                .packet().getYiaddr()).isEqualTo(RELAYED_RESERVED_IP);

        Inet4Address direct = (Inet4Address) new TestDhcpClient(engine, RELAYED_RESERVED_MAC).dora().orElseThrow()
                .packet().getYiaddr();
        assertThat(EngineFixture.POOL.contains(direct)).as("booted on the other segment: a pool address there").isTrue();
    }

    @Test
    void macThatMovesToTheRelayedSegmentGetsAnAddressThereAndItsOldOneIsNakedThere() {
        TestDhcpClient onServed = client(5);
        Inet4Address old = (Inet4Address) onServed.dora().orElseThrow().packet().getYiaddr();

        TestDhcpClient moved = client(5).viaRelay(RELAY);
        assertThat(moved.requestInitReboot(old).orElseThrow().packet().getDHCPMessageType())
                .as("the old address would not route on the new segment").isEqualTo(DHCPNAK);
        DhcpReply ack = moved.dora().orElseThrow();

        assertThat(RELAYED_POOL.contains((Inet4Address) ack.packet().getYiaddr())).isTrue();
        assertThat(fx.leases.byMac(moved.mac()).orElseThrow().ip()).isEqualTo(ack.packet().getYiaddr());
    }

    @Test
    void macBackOnTheServedSegmentIsNotOfferedItsRelayedAddress() {
        TestDhcpClient relayed = client(6).viaRelay(RELAY);
        Inet4Address there = (Inet4Address) relayed.dora().orElseThrow().packet().getYiaddr();

        DHCPPacket offer = client(6).discover(Optional.of(there)).orElseThrow().packet();

        assertThat(EngineFixture.POOL.contains((Inet4Address) offer.getYiaddr())).isTrue();
    }

    @Test
    void unicastRenewFromBehindTheRelayIsAnsweredFromTheSubnetOfItsAddress() {
        TestDhcpClient client = client(7).viaRelay(RELAY);
        Inet4Address leased = (Inet4Address) client.dora().orElseThrow().packet().getYiaddr();
        fx.clock.advance(RELAYED_LEASE.dividedBy(2));

        DhcpReply ack = client.direct().renew().orElseThrow();

        assertThat(ack.packet().getDHCPMessageType()).isEqualTo(DHCPACK);
        assertThat(ack.packet().getYiaddr()).isEqualTo(leased);
        assertThat(ack.packet().getOptionAsInteger((byte) 51)).isEqualTo((int) RELAYED_LEASE.toSeconds());
        assertThat(ack.recipient()).isEqualTo(new InetSocketAddress(leased, 68));
    }

    private TestDhcpClient client(int n) {
        return new TestDhcpClient(engine, MacAddress.parse(String.format("02:00:00:00:00:%02x", n)));
    }

    private static HostCatalog catalog() {
        return new HostCatalog() {
            @Override
            public HostEntry lookup(MacAddress mac, Optional<String> vendorClass) {
                return new HostEntry(fixedAddress(mac), Optional.empty(), "");
            }

            @Override
            public Optional<Inet4Address> fixedAddress(MacAddress mac) {
                return mac.equals(RELAYED_RESERVED_MAC) ? Optional.of(RELAYED_RESERVED_IP) : Optional.empty();
            }

            @Override
            public Optional<MacAddress> reservedFor(Inet4Address ip) {
                return ip.equals(RELAYED_RESERVED_IP) ? Optional.of(RELAYED_RESERVED_MAC) : Optional.empty();
            }

            @Override
            public boolean knows(MacAddress mac, Optional<String> vendorClass) {
                return fixedAddress(mac).isPresent();
            }
        };
    }
}
