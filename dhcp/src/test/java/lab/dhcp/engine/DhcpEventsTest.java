package lab.dhcp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dhcp4java.DHCPConstants.DHCPACK;
import static org.dhcp4java.DHCPConstants.DHCPDECLINE;
import static org.dhcp4java.DHCPConstants.DHCPDISCOVER;
import static org.dhcp4java.DHCPConstants.DHCPOFFER;
import static org.dhcp4java.DHCPConstants.DHCPRELEASE;
import static org.dhcp4java.DHCPConstants.DHCPREQUEST;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.dhcp.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine tells its {@link DhcpEventListener} what each client sent and what was answered, in order. */
class DhcpEventsTest {

    record Seen(MacAddress mac, byte type, boolean sent, Optional<Inet4Address> address) {
    }

    @TempDir
    Path dir;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final List<MacAddress> restarted = new CopyOnWriteArrayList<>();
    EngineFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new EngineFixture(dir, new DhcpEventListener() {
            @Override
            public void dhcpEvent(MacAddress mac, byte type, boolean sent, Optional<Inet4Address> address) {
                seen.add(new Seen(mac, type, sent, address));
            }

            @Override
            public void clientRestarted(MacAddress mac) {
                restarted.add(mac);
            }
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    @Test
    void doraIsSeenAsDiscoverOfferRequestAckWithTheAddress() {
        TestDhcpClient client = fx.client(1);
        Inet4Address ip = (Inet4Address) client.dora().orElseThrow().packet().getYiaddr();

        assertThat(seen).containsExactly(
            new Seen(client.mac(), DHCPDISCOVER, false, Optional.empty()),
            new Seen(client.mac(), DHCPOFFER, true, Optional.of(ip)),
            new Seen(client.mac(), DHCPREQUEST, false, Optional.of(ip)),
            new Seen(client.mac(), DHCPACK, true, Optional.of(ip)));
    }

    @Test
    void onlyAnInitRebootRequestIsARestart() {
        TestDhcpClient client = fx.client(1);
        Inet4Address ip = (Inet4Address) client.dora().orElseThrow().packet().getYiaddr();
        client.renew();
        client.rebind();
        assertThat(restarted).isEmpty();

        client.requestInitReboot(ip);

        assertThat(restarted).containsExactly(client.mac());
        assertThat(seen.get(seen.size() - 2)).isEqualTo(new Seen(client.mac(), DHCPREQUEST, false, Optional.of(ip)));
    }

    @Test
    void declineAndReleaseAreSeenWithTheirAddress() {
        TestDhcpClient first = fx.client(1);
        Inet4Address bad = (Inet4Address) first.dora().orElseThrow().packet().getYiaddr();
        TestDhcpClient second = fx.client(2);
        Inet4Address good = (Inet4Address) second.dora().orElseThrow().packet().getYiaddr();
        seen.clear();

        first.decline(bad);
        second.release();

        assertThat(seen).containsExactly(
            new Seen(first.mac(), DHCPDECLINE, false, Optional.of(bad)),
            new Seen(second.mac(), DHCPRELEASE, false, Optional.of(good)));
    }

    /**
     * The catalog lookup decides a new MAC's profile, and the listener labels events with it: the lookup, with the
     * vendor class, comes before the listener hears of the message, once per message; a RELEASE asks nothing.
     */
    @Test
    void theClientIsLookedUpWithItsVendorClassBeforeTheListenerHearsOfIt() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        HostCatalog catalog = new HostCatalog() {
            @Override
            public HostEntry lookup(MacAddress mac, Optional<String> vendorClass) {
                order.add("lookup " + vendorClass.orElse("-"));
                return HostEntry.unknown();
            }

            @Override
            public Optional<Inet4Address> fixedAddress(MacAddress mac) {
                return Optional.empty();
            }

            @Override
            public Optional<MacAddress> reservedFor(Inet4Address ip) {
                return Optional.empty();
            }

            @Override
            public boolean knows(MacAddress mac, Optional<String> vendorClass) {
                return false;
            }
        };
        DhcpEngine engine = new DhcpEngine(fx.settings, List.of(EngineFixture.POOL), fx.leases, fx.offers, catalog,
                (mac, type, sent, address) -> order.add((sent ? "sent " : "told ") + type), fx.clock);
        TestDhcpClient client = new TestDhcpClient(engine, fx.client(1).mac()).vendorClass("waf-7");

        client.dora();
        client.release();

        assertThat(order).containsExactly("lookup waf-7", "told " + DHCPDISCOVER, "sent " + DHCPOFFER,
            "lookup waf-7", "told " + DHCPREQUEST, "sent " + DHCPACK, "told " + DHCPRELEASE);
    }

    @Test
    void aFailingListenerCostsNoReply() throws Exception {
        fx.close();
        fx = new EngineFixture(dir.resolve("again"), (mac, type, sent, address) -> {
            throw new IllegalStateException("listener broken");
        });

        assertThat(fx.client(1).dora()).isPresent();
    }
}
