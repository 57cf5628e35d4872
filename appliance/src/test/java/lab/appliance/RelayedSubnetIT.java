package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.ClientLease;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.DhclientDriver;
import lab.appliance.netns.LeaseJournalFile;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.RelayedSegment;
import lab.dhcp.MacAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A second segment behind ISC dhcrelay: real dhclients there get addresses, router and lease time of the relayed
 * subnet (and the reservation made in it), reach the metadata service through the relay as the VM their lease names,
 * and resolve lab names (PTR of their own segment too) through the appliance's DNS server, while a client on the
 * appliance's own segment still gets a lab address. Last, a SIGHUP reload that changes the
 * relayed subnet is served at once and keeps the leases.
 */
@Tag("netns")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayedSubnetIT {

    private static final String RESERVED_MAC = "02:00:00:00:02:01";
    private static final Duration CURL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RELOAD_DEADLINE = Duration.ofSeconds(30);

    /** One client on the appliance's own segment. */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(1);

    private static RelayedSegment segment;
    private static Path stateDir;
    private static Path config;
    private static BackgroundProcess appliance;

    @BeforeAll
    static void startApplianceAndRelay() throws IOException {
        stateDir = LAB.newDirectory("state");
        // A copy, so the reload test can rewrite it.
        config = LAB.newDirectory("config").resolve("relayed-subnet.yaml");
        Files.copy(NetnsLab.resource("relayed-subnet.yaml"), config);
        appliance = LAB.startServer(ApplianceServer.fromSystemProperty(), config, stateDir);
        segment = RelayedSegment.on(LAB, List.of(MacAddress.parse("02:00:00:30:00:01"), MacAddress.parse(RESERVED_MAC),
                MacAddress.parse("02:00:00:30:00:02")));
    }

    @AfterAll
    static void removeSegment() {
        if (segment != null) {
            segment.close();
        }
    }

    @Test
    void relayedClientGetsAnAddressAndTheRouterOfItsSubnet() {
        ClientHost host = segment.client(0);

        ClientLease lease = dhclient(host, "relayed").obtain();

        assertThat(toLong(lease.ip())).as("address from the relayed pool (relay output:%n%s)", segment.relayOutput())
                .isBetween(toLong(ip("10.30.0.100")), toLong(ip("10.30.0.199")));
        assertThat(lease.prefixLength()).isEqualTo(24);
        assertThat(lease.routers()).containsExactly(ip("10.30.0.1"));
        assertThat(lease.domain()).isEqualTo("rack-b.lab.internal");
        assertThat(lease.classlessRoutes()).containsExactly(
                "169.254.169.254/32 via 10.30.0.1", "0.0.0.0/0 via 10.30.0.1");
        assertThat(lease.serverId()).contains(ip("10.20.0.1"));
        assertJournalHas(lease, host);
    }

    @Test
    void relayedClientReachesTheMetadataServiceThroughTheRelayAsItsVm() {
        ClientHost host = segment.client(0);
        dhclient(host, "relayed-metadata").obtain();
        segment.routeMetadataViaRelay(host);

        CommandResult result = host.namespace().exec(CURL_TIMEOUT, "curl", "-sS", "--fail", "-m", "20",
                "http://169.254.169.254/latest/meta-data/instance-id");

        assertThat(result.requireSuccess().output()).isEqualTo("i-" + host.mac().toString().replace(":", ""));
    }

    @Test
    void reservationInTheRelayedSubnetIsHonoured() {
        ClientHost host = segment.client(1);

        ClientLease lease = dhclient(host, "relayed-reserved").obtain();

        assertThat(lease.address()).isEqualTo("10.30.0.11");
        assertThat(lease.hostname()).isEqualTo("rack-b-1");
        assertThat(lease.routers()).containsExactly(ip("10.30.0.1"));
        assertJournalHas(lease, host);
    }

    @Test
    void relayedVmsResolveThroughTheAppliancesDns() {
        ClientHost host = segment.client(1);
        ClientLease lease = dhclient(host, "relayed-dns").obtain();
        segment.routeDefaultViaRelay(host);

        assertThat(lease.dnsServers()).containsExactly(ip("10.20.0.1"));
        assertThat(dig(host, "rack-b-1.lab.internal")).isEqualTo("10.30.0.11");
        assertThat(dig(host, "ip-10-30-0-11.lab.internal")).isEqualTo("10.30.0.11");
        assertThat(dig(host, "-x", "10.30.0.11")).as("PTR from the relayed subnet's reverse zone")
                .isEqualTo("rack-b-1.lab.internal.");
    }

    /** dig +short from {@code host} to the appliance, through the relay; one answer expected. */
    private static String dig(ClientHost host, String... query) {
        List<String> command = new java.util.ArrayList<>(List.of("dig", "@10.20.0.1", "+short", "+time=3", "+tries=2"));
        command.addAll(List.of(query));
        return host.namespace().exec(CURL_TIMEOUT, command).requireSuccess().output().strip();
    }

    @Test
    void directClientOnTheAppliancesSegmentStillGetsALabAddress() {
        ClientHost host = LAB.client(0);
        host.flushAddresses();

        ClientLease lease = dhclient(host, "direct").obtain();

        assertThat(toLong(lease.ip())).isBetween(toLong(ip("10.20.1.1")), toLong(ip("10.20.3.254")));
        assertThat(lease.prefixLength()).isEqualTo(16);
        assertThat(lease.routers()).containsExactly(ip("10.20.0.1"));
        assertThat(lease.classlessRoutes()).containsExactly(
                "169.254.169.254/32 via 10.20.0.1", "0.0.0.0/0 via 10.20.0.1");
        assertJournalHas(lease, host);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void reloadServesTheChangedSubnetAndKeepsItsLeases() throws IOException {
        ClientHost kept = segment.client(0);
        Inet4Address before = dhclient(kept, "before-reload").obtain().ip();
        String text = Files.readString(config, StandardCharsets.UTF_8);
        Files.writeString(config, text.replace("pools: [10.30.0.100-10.30.0.199]", "pools: [10.30.0.100-10.30.0.109]")
                .replace("rack-b.lab.internal", "rack-c.lab.internal"), StandardCharsets.UTF_8);

        appliance.signal("HUP");
        await("'config reloaded' line").atMost(RELOAD_DEADLINE)
                .until(() -> appliance.output().contains("config reloaded file=") || !appliance.isAlive());
        assertThat(appliance.output()).containsPattern("config reloaded file=\\S+ relayed_subnets=1 ");

        ClientLease again = dhclient(kept, "after-reload").obtain();
        assertThat(again.ip()).as("the lease survived the reload").isEqualTo(before);
        assertThat(again.domain()).isEqualTo("rack-c.lab.internal");
        ClientLease fresh = dhclient(segment.client(2), "new-after-reload").obtain();
        assertThat(toLong(fresh.ip())).isBetween(toLong(ip("10.30.0.100")), toLong(ip("10.30.0.109")));
        assertThat(fresh.ip()).isNotEqualTo(before);
    }

    private static DhclientDriver dhclient(ClientHost host, String label) {
        host.flushAddresses();
        return DhclientDriver.on(host, LAB.newDirectory("dhclient-" + label));
    }

    /** The ACK's journal line is forced before the ACK leaves, so it is there once the client has bound. */
    private static void assertJournalHas(ClientLease lease, ClientHost host) {
        LeaseJournalFile journal = new LeaseJournalFile(stateDir);
        assertThat(journal.entriesFor(lease.address()))
                .as("%s lines for %s", journal.file(), lease.address())
                .anyMatch(e -> e.mac().equals(host.mac().toString()) && e.state().equals("ACTIVE"));
    }

    private static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static long toLong(Inet4Address address) {
        byte[] b = address.getAddress();
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }
}
