package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.ClientLease;
import lab.appliance.netns.DhcpClientKind;
import lab.appliance.netns.LeaseJournalFile;
import lab.appliance.netns.NetnsLab;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** dhclient, udhcpc and dhcpcd each get a pool address and every lab option from the appliance, or their reservation. */
@Tag("netns")
class DhcpClientsIT {

    private static final String RESERVED_MAC = "02:00:00:00:01:01";

    /** One pool client per client program, then the reserved MAC. */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(DhcpClientKind.values().length).plusClient(RESERVED_MAC);

    private static Path stateDir;

    @BeforeAll
    static void startAppliance() throws IOException {
        stateDir = LAB.newDirectory("state");
        LAB.startServer(ApplianceServer.fromSystemProperty(), NetnsLab.resource("dhcp-clients.yaml"), stateDir);
    }

    @ParameterizedTest
    @EnumSource(DhcpClientKind.class)
    void clientGetsPoolAddressAndLabOptions(DhcpClientKind kind) throws IOException {
        ClientHost host = LAB.client(kind.ordinal());
        host.flushAddresses();

        ClientLease lease = kind.driverFor(host, LAB.newDirectory(kind.program())).obtain();

        assertThat(toLong(lease.ip())).as("address from %s", kind.program())
                .isBetween(toLong(ip("10.20.1.1")), toLong(ip("10.20.3.254")));
        assertThat(lease.prefixLength()).isEqualTo(16);
        assertThat(lease.routers()).containsExactly(ip("10.20.0.1"));
        assertThat(lease.dnsServers()).containsExactly(ip("10.20.0.1"));
        assertThat(lease.domain()).isEqualTo("lab.internal");
        assertThat(lease.classlessRoutes()).containsExactly(
                "169.254.169.254/32 via 10.20.0.1", "0.0.0.0/0 via 10.20.0.1");
        assertThat(lease.serverId()).contains(ip("10.20.0.1"));
        assertThat(lease.mtu()).hasValue(1500);
        assertJournalHas(lease, host, "ACTIVE");
    }

    @ParameterizedTest
    @EnumSource(DhcpClientKind.class)
    void reservedMacGetsItsAddressAndHostname(DhcpClientKind kind) throws IOException {
        ClientHost host = LAB.client(DhcpClientKind.values().length);
        host.flushAddresses();

        ClientLease lease = kind.driverFor(host, LAB.newDirectory(kind.program() + "-reserved")).obtain();

        assertThat(lease.address()).isEqualTo("10.20.0.11");
        assertThat(lease.hostname()).isEqualTo("waf-edge-1");
        assertThat(lease.domain()).isEqualTo("lab.internal");
        assertThat(lease.classlessRoutes()).containsExactly(
                "169.254.169.254/32 via 10.20.0.1", "0.0.0.0/0 via 10.20.0.1");
        assertJournalHas(lease, host, "ACTIVE");
    }

    /** The ACK's journal line is forced before the ACK leaves, so it is there once the client has bound. */
    private static void assertJournalHas(ClientLease lease, ClientHost host, String state) {
        LeaseJournalFile journal = new LeaseJournalFile(stateDir);
        assertThat(journal.entriesFor(lease.address()))
                .as("%s lines for %s", journal.file(), lease.address())
                .anyMatch(e -> e.mac().equals(host.mac().toString()) && e.state().equals(state));
    }

    private static Inet4Address ip(String text) throws IOException {
        return (Inet4Address) InetAddress.getByName(text);
    }

    private static long toLong(Inet4Address address) {
        byte[] b = address.getAddress();
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }
}
