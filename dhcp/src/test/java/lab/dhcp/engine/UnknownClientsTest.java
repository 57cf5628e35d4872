package lab.dhcp.engine;

import static lab.dhcp.engine.EngineFixture.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.dhcp4java.DHCPConstants.DHCPACK;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import lab.dhcp.MacAddress;
import lab.dhcp.alloc.AddressPool;
import lab.dhcp.codec.ClasslessRoute;
import lab.dhcp.codec.DhcpReply;
import lab.dhcp.engine.UnknownClientRefusals.Reason;
import org.junit.jupiter.api.Test;

/**
 * Strangers under {@link UnknownClientLimits}: the fixture's ten-address pool with a 50 % share (five addresses) for
 * MACs the catalog does not know. The catalog knows the fixture's reserved MAC, MACs under the profile prefix
 * 02:00:00:aa and clients sending vendor class "waf-…".
 */
class UnknownClientsTest extends EngineExchangeTest {

    private static final UnknownClientLimits HALF_THE_POOL = new UnknownClientLimits(0, 50);
    private static final Inet4Address RELAY = ip("203.0.113.1");
    private static final Inet4Address OTHER_RELAY = ip("203.0.113.2");
    private static final AddressPool RELAYED_POOL = new AddressPool(ip("203.0.113.100"), ip("203.0.113.109"));
    private static final Subnet RELAYED = new Subnet(ip("203.0.113.0"), 24, List.of(RELAYED_POOL), Optional.of(RELAY),
            List.of(), Optional.empty(), List.of(), OptionalInt.empty(),
            List.of(new ClasslessRoute(ip("169.254.169.254"), 32, RELAY)), Duration.ofHours(1),
            Duration.ofMinutes(30), Duration.ofMinutes(52));

    private final UnknownClientRefusals refusals = new UnknownClientRefusals();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger told = new AtomicInteger();

    private DhcpEngine engine(UnknownClientLimits limits) {
        return new DhcpEngine(fx.settings, List.of(EngineFixture.POOL), List.of(RELAYED), fx.leases, fx.offers,
                catalog(), limits, refusals, (mac, type, sent, address) -> told.incrementAndGet(), fx.clock);
    }

    private static TestDhcpClient stranger(DhcpEngine engine, int n) {
        return new TestDhcpClient(engine, MacAddress.parse(String.format("02:00:00:00:%02x:%02x", n >> 8, n & 0xFF)));
    }

    /** Fills the share: five strangers leased. */
    private List<TestDhcpClient> fiveStrangersLeased(DhcpEngine engine) {
        List<TestDhcpClient> leased = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            TestDhcpClient client = stranger(engine, n);
            assertThat(client.dora()).as("stranger %d within the share", n).isPresent();
            leased.add(client);
        }
        return leased;
    }

    @Test
    void strangersGetNoOfferOnceTheyHoldTheirShareWhileKnownAndProfiledClientsAreServed() {
        DhcpEngine engine = engine(HALF_THE_POOL);
        fiveStrangersLeased(engine);

        assertThat(stranger(engine, 6).discover()).as("a sixth stranger").isEmpty();
        assertThat(refusals.count(Reason.POOL_SHARE)).isEqualTo(1);

        assertThat(new TestDhcpClient(engine, EngineFixture.RESERVED_MAC).dora()).as("reserved VM").isPresent();
        assertThat(new TestDhcpClient(engine, MacAddress.parse("02:00:00:aa:00:01")).dora())
                .as("profiled by MAC prefix").isPresent();
        assertThat(new TestDhcpClient(engine, MacAddress.parse("02:00:00:00:77:01")).vendorClass("waf-7").dora())
                .as("profiled by vendor class").isPresent();
        assertThat(fx.leases.all()).hasSize(8);
        assertThat(refusals.count(Reason.POOL_SHARE)).isEqualTo(1);
    }

    @Test
    void aStrangerHoldingAnAddressKeepsItWhenTheShareIsFull() {
        DhcpEngine engine = engine(HALF_THE_POOL);
        List<TestDhcpClient> leased = fiveStrangersLeased(engine);
        TestDhcpClient first = leased.get(0);
        Inet4Address address = first.address().orElseThrow();

        assertThat(first.renew().orElseThrow().packet().getDHCPMessageType()).isEqualTo(DHCPACK);
        assertThat(first.requestInitReboot(address).orElseThrow().packet().getYiaddr()).isEqualTo(address);
        assertThat(first.discover().orElseThrow().packet().getYiaddr()).as("its own address again").isEqualTo(address);
        assertThat(refusals.count(Reason.POOL_SHARE)).isZero();
    }

    @Test
    void aReleasedAddressReturnsToTheShareAtTheNextCount() {
        DhcpEngine engine = engine(HALF_THE_POOL);
        List<TestDhcpClient> leased = fiveStrangersLeased(engine);
        assertThat(stranger(engine, 6).discover()).isEmpty();

        leased.get(0).release();
        fx.clock.advance(Duration.ofMillis(UnknownClientShare.SWEEP_INTERVAL_MILLIS));

        assertThat(stranger(engine, 6).dora()).as("the freed place").isPresent();
        assertThat(stranger(engine, 7).discover()).as("and no more").isEmpty();
    }

    @Test
    void offersThatRunOutWithoutARequestFreeTheShare() {
        DhcpEngine engine = engine(HALF_THE_POOL);
        for (int n = 1; n <= 5; n++) {
            assertThat(stranger(engine, n).discover()).isPresent();
        }
        assertThat(stranger(engine, 6).discover()).as("offers count while held").isEmpty();

        fx.clock.advance(EngineFixture.OFFER_HOLD);

        assertThat(stranger(engine, 6).discover()).isPresent();
    }

    @Test
    void aStrangerCannotSkipTheDiscoverWithARequestForAFreeAddress() {
        DhcpEngine engine = engine(HALF_THE_POOL);
        fiveStrangersLeased(engine);

        Optional<DhcpReply> reply = stranger(engine, 6).requestInitReboot(ip("192.0.2.109"));

        assertThat(reply).as("INIT-REBOOT of a client we have no record of: silence (RFC 2131 §4.3.2)").isEmpty();
        assertThat(fx.leases.byIp(ip("192.0.2.109"))).isEmpty();
        assertThat(refusals.count(Reason.POOL_SHARE)).isEqualTo(1);
    }

    @Test
    void aRefusedStrangerIsNeitherLookedUpNorToldToTheListener() {
        DhcpEngine engine = engine(HALF_THE_POOL);
        fiveStrangersLeased(engine);
        int lookupsBefore = lookups.get();
        int toldBefore = told.get();

        for (int n = 6; n < 106; n++) {
            stranger(engine, n).discover();
        }

        assertThat(lookups.get()).isEqualTo(lookupsBefore);
        assertThat(told.get()).isEqualTo(toldBefore);
        assertThat(refusals.count(Reason.POOL_SHARE)).isEqualTo(100);
    }

    @Test
    void anEngineReplacedByAReloadCountsTheStrangersAlreadyHoldingAddresses() {
        DhcpEngine before = engine(HALF_THE_POOL);
        for (int n = 1; n <= 3; n++) {
            assertThat(stranger(before, n).dora()).isPresent();
        }
        assertThat(stranger(before, 4).discover()).as("offered, not yet requested").isPresent();
        assertThat(stranger(before, 5).discover()).isPresent();

        DhcpEngine after = engine(HALF_THE_POOL);

        assertThat(stranger(after, 6).discover()).as("three leases and two offers fill the share").isEmpty();
        assertThat(stranger(after, 4).dora()).as("an offered stranger finishes").isPresent();
    }

    @Test
    void eachSubnetHasItsOwnShare() {
        DhcpEngine engine = engine(HALF_THE_POOL);
        fiveStrangersLeased(engine);

        assertThat(stranger(engine, 6).viaRelay(RELAY).dora()).as("relayed segment's pools").isPresent();
        assertThat(RELAYED_POOL.contains((Inet4Address) stranger(engine, 7).viaRelay(RELAY).discover().orElseThrow()
                .packet().getYiaddr())).isTrue();
    }

    @Test
    void noShareForStrangersAtZeroPercent() {
        DhcpEngine engine = engine(new UnknownClientLimits(0, 0));

        assertThat(stranger(engine, 1).discover()).isEmpty();
        assertThat(new TestDhcpClient(engine, MacAddress.parse("02:00:00:aa:00:01")).dora()).isPresent();
    }

    @Test
    void newStrangersArePacedPerSourceWithABurstOfTwiceTheRate() {
        DhcpEngine engine = engine(new UnknownClientLimits(2, 100));
        for (int n = 1; n <= 4; n++) {
            assertThat(stranger(engine, n).viaRelay(RELAY).discover()).as("burst, stranger %d", n).isPresent();
        }
        assertThat(stranger(engine, 5).viaRelay(RELAY).discover()).as("past the burst").isEmpty();
        assertThat(refusals.count(Reason.RATE_LIMIT)).isEqualTo(1);

        assertThat(stranger(engine, 6).viaRelay(OTHER_RELAY).discover()).as("another relay's bucket").isPresent();
        assertThat(stranger(engine, 7).discover()).as("the interface's bucket").isPresent();
        assertThat(new TestDhcpClient(engine, MacAddress.parse("02:00:00:aa:00:01")).viaRelay(RELAY).discover())
                .as("a profiled client is never paced").isPresent();
        assertThat(stranger(engine, 1).viaRelay(RELAY).discover()).as("a stranger holding an offer").isPresent();

        fx.clock.advance(Duration.ofMillis(500));
        assertThat(stranger(engine, 8).viaRelay(RELAY).discover()).as("one token earned in half a second").isPresent();
        assertThat(stranger(engine, 9).viaRelay(RELAY).discover()).isEmpty();
        assertThat(refusals.count(Reason.RATE_LIMIT)).isEqualTo(2);
    }

    @Test
    void aFullShareRefusesBeforeTheRateSoItSpendsNoToken() {
        DhcpEngine engine = engine(new UnknownClientLimits(3, 50));
        List<TestDhcpClient> leased = fiveStrangersLeased(engine); // five of the burst's six tokens
        for (int n = 6; n < 20; n++) {
            assertThat(stranger(engine, n).discover()).isEmpty();
        }
        assertThat(refusals.count(Reason.POOL_SHARE)).isEqualTo(14);
        assertThat(refusals.count(Reason.RATE_LIMIT)).isZero();

        leased.forEach(TestDhcpClient::release);
        fx.clock.advance(Duration.ofMillis(UnknownClientShare.SWEEP_INTERVAL_MILLIS)); // three tokens more: four

        for (int n = 20; n < 24; n++) {
            assertThat(stranger(engine, n).discover()).as("stranger %d", n).isPresent();
        }
        assertThat(stranger(engine, 24).discover()).isEmpty();
        assertThat(refusals.count(Reason.RATE_LIMIT)).isEqualTo(1);
    }

    @Test
    void theLimitsReadAsTheConfigWritesThem() {
        assertThat(new UnknownClientLimits(20, 50)).hasToString("pool-share 50%, rate-limit 20/s");
        assertThat(UnknownClientLimits.NONE).hasToString("pool-share 100%, rate-limit none");
        assertThat(new UnknownClientLimits(0, 50).cap(EngineFixture.POOL.size())).isEqualTo(5);
        assertThat(new UnknownClientLimits(0, 33).cap(10)).as("rounded down").isEqualTo(3);
    }

    private HostCatalog catalog() {
        return new HostCatalog() {
            @Override
            public HostEntry lookup(MacAddress mac, Optional<String> vendorClass) {
                lookups.incrementAndGet();
                return new HostEntry(fixedAddress(mac), Optional.empty(), knows(mac, vendorClass) ? "waf" : "");
            }

            @Override
            public Optional<Inet4Address> fixedAddress(MacAddress mac) {
                return mac.equals(EngineFixture.RESERVED_MAC) ? Optional.of(EngineFixture.RESERVED_IP)
                        : Optional.empty();
            }

            @Override
            public Optional<MacAddress> reservedFor(Inet4Address ip) {
                return ip.equals(EngineFixture.RESERVED_IP) ? Optional.of(EngineFixture.RESERVED_MAC)
                        : Optional.empty();
            }

            @Override
            public boolean knows(MacAddress mac, Optional<String> vendorClass) {
                return mac.equals(EngineFixture.RESERVED_MAC) || mac.toString().startsWith("02:00:00:aa")
                        || vendorClass.filter(vc -> vc.startsWith("waf-")).isPresent();
            }
        };
    }
}
