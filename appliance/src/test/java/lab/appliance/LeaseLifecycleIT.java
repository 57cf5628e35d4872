package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.ClientLease;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.DhclientDriver;
import lab.appliance.netns.DhcpcdDriver;
import lab.appliance.netns.JournalEntry;
import lab.appliance.netns.LeaseJournalFile;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.UdhcpcDriver;
import lab.appliance.netns.UdhcpcSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A lease's life with real clients: INIT-REBOOT (dhclient) and RENEW (udhcpc) keep the address, RELEASE frees
 * it, and a DECLINE after dhcpcd's ARP probe finds a squatter quarantines the address. Each test runs its own
 * appliance on a fresh state dir and uses its own client namespaces.
 */
@Tag("netns")
class LeaseLifecycleIT {

    private static final String SQUATTED = "10.20.9.9";

    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(7);

    @AfterEach
    void stopAppliance() {
        // Only one server may hold port 67 in the namespace: each test's appliance goes before the next starts.
        LAB.stopProcesses();
    }

    @Test
    void dhclientInitRebootKeepsItsAddress() throws IOException {
        Path stateDir = startAppliance("dhcp-clients.yaml");
        ClientHost host = LAB.client(0);
        DhclientDriver dhclient = DhclientDriver.on(host, LAB.newDirectory("dhclient"));

        ClientLease first = dhclient.obtain();
        ClientLease again = dhclient.reboot();

        assertThat(first.reason()).isEqualTo("BOUND");
        assertThat(again.reason()).as("second run starts from the lease file: INIT-REBOOT").isEqualTo("REBOOT");
        assertThat(again.address()).isEqualTo(first.address());
        assertThat(activeLines(stateDir, first, host)).hasSize(2);
    }

    @Test
    void udhcpcRenewKeepsItsAddress() throws IOException {
        Path stateDir = startAppliance("dhcp-clients.yaml");
        ClientHost host = LAB.client(1);
        UdhcpcDriver udhcpc = UdhcpcDriver.on(host, LAB.newDirectory("udhcpc"));

        try (UdhcpcSession session = udhcpc.startSession()) {
            ClientLease bound = session.awaitBound();
            ClientLease renewed = session.renew();

            assertThat(renewed.reason()).isEqualTo("renew");
            assertThat(renewed.address()).isEqualTo(bound.address());
            assertThat(activeLines(stateDir, bound, host)).hasSize(2);
        }
    }

    @Test
    void dhclientReleaseFreesTheAddress() throws IOException {
        Path stateDir = startAppliance("dhcp-clients.yaml");
        ClientHost host = LAB.client(2);
        DhclientDriver dhclient = DhclientDriver.on(host, LAB.newDirectory("dhclient"));
        ClientLease lease = dhclient.obtain();

        dhclient.release();

        assertThat(dhclient.events()).contains("RELEASE");
        awaitJournalLine(stateDir, lease.address(), host.mac().toString(), "RELEASED");
    }

    @Test
    void udhcpcReleaseOnExitFreesTheAddress() throws IOException {
        Path stateDir = startAppliance("dhcp-clients.yaml");
        ClientHost host = LAB.client(3);
        UdhcpcDriver udhcpc = UdhcpcDriver.on(host, LAB.newDirectory("udhcpc"));
        ClientLease lease;
        int status;
        try (UdhcpcSession session = udhcpc.startSession()) {
            lease = session.awaitBound();
            status = session.release();
        }

        assertThat(status).isZero();
        awaitJournalLine(stateDir, lease.address(), host.mac().toString(), "RELEASED");
    }

    @Test
    void addressDeclinedAfterArpConflictIsNotOfferedAgain() throws IOException {
        ClientHost squatter = LAB.client(4);
        ClientHost prober = LAB.client(5);
        ClientHost latecomer = LAB.client(6);
        DhcpcdDriver dhcpcd = DhcpcdDriver.on(prober, LAB.newDirectory("dhcpcd"));
        UdhcpcDriver udhcpc = UdhcpcDriver.on(latecomer, LAB.newDirectory("udhcpc"));
        // The squatter holds the pool's only address without a lease, as a VM with a static address would.
        squatter.namespace().exec("ip", "addr", "replace", SQUATTED + "/16", "dev", ClientHost.INTERFACE)
                .requireSuccess();
        try {
            Path stateDir = startAppliance("decline.yaml");
            BackgroundProcess probing = LAB.track(dhcpcd.start());
            awaitJournalLine(stateDir, SQUATTED, prober.mac().toString(), "DECLINED");
            probing.close();

            CommandResult attempt = udhcpc.tryOnce();

            assertThat(attempt.succeeded()).as("latecomer must get nothing while %s is quarantined: %s",
                    SQUATTED, attempt.output()).isFalse();
            List<JournalEntry> lines = new LeaseJournalFile(stateDir).entriesFor(SQUATTED);
            int declined = lines.stream().filter(e -> e.state().equals("DECLINED")).findFirst().orElseThrow().line();
            assertThat(lines).filteredOn(e -> e.line() > declined).noneMatch(e -> e.state().equals("ACTIVE"));
        } finally {
            squatter.flushAddresses();
        }
    }

    /** Starts an appliance on {@code config} with a fresh state dir and returns that dir. */
    private static Path startAppliance(String config) throws IOException {
        Path stateDir = LAB.newDirectory("state");
        LAB.startServer(ApplianceServer.fromSystemProperty(), NetnsLab.resource(config), stateDir);
        return stateDir;
    }

    private static List<JournalEntry> activeLines(Path stateDir, ClientLease lease, ClientHost host) {
        return new LeaseJournalFile(stateDir).entriesFor(lease.address()).stream()
                .filter(e -> e.state().equals("ACTIVE") && e.mac().equals(host.mac().toString()))
                .toList();
    }

    /** A RELEASE or DECLINE gets no reply, so the client cannot tell when the server has recorded it: poll. */
    private static void awaitJournalLine(Path stateDir, String ip, String mac, String state) {
        LeaseJournalFile journal = new LeaseJournalFile(stateDir);
        await(state + " line for " + ip + " " + mac + " in " + journal.file())
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> journal.has(ip, mac, state));
    }
}
