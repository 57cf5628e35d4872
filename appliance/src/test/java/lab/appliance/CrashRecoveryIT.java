package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.ClientLease;
import lab.appliance.netns.DhclientDriver;
import lab.appliance.netns.LeaseJournalFile;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.UdhcpcDriver;
import lab.appliance.netns.UdhcpcSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients take leases, the appliance dies by SIGKILL and restarts on the same state dir: every lease that was
 * ACKed is in the journal, and every client keeps its address, by INIT-REBOOT (dhclient) or RENEW (udhcpc).
 */
@Tag("netns")
class CrashRecoveryIT {

    private static final int DHCLIENTS = 4;

    /** Four dhclient hosts, then one udhcpc host whose client keeps running across the crash. */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(DHCLIENTS + 1);

    @Test
    void leasesSurviveSigkillAndClientsKeepTheirAddresses() throws IOException {
        Path stateDir = LAB.newDirectory("state");
        BackgroundProcess appliance = startAppliance(stateDir);

        Map<ClientHost, DhclientDriver> dhclients = new LinkedHashMap<>();
        Map<ClientHost, ClientLease> before = new LinkedHashMap<>();
        for (int i = 0; i < DHCLIENTS; i++) {
            ClientHost host = LAB.client(i);
            DhclientDriver dhclient = DhclientDriver.on(host, LAB.newDirectory("dhclient"));
            dhclients.put(host, dhclient);
            before.put(host, dhclient.obtain());
        }
        ClientHost udhcpcHost = LAB.client(DHCLIENTS);
        try (UdhcpcSession udhcpc = UdhcpcDriver.on(udhcpcHost, LAB.newDirectory("udhcpc")).startSession()) {
            before.put(udhcpcHost, udhcpc.awaitBound());

            appliance.kill(Duration.ofSeconds(30));

            // Every ACK was forced to the journal before it was sent, so a SIGKILL cannot lose one.
            LeaseJournalFile journal = new LeaseJournalFile(stateDir);
            assertThat(before).allSatisfy((host, lease) -> assertThat(
                    journal.has(lease.address(), host.mac().toString(), "ACTIVE"))
                    .as("journal has ACTIVE %s for %s after SIGKILL", lease.address(), host.mac())
                    .isTrue());

            startAppliance(stateDir);

            for (Map.Entry<ClientHost, DhclientDriver> entry : dhclients.entrySet()) {
                ClientLease after = entry.getValue().reboot();
                assertThat(after.reason()).isEqualTo("REBOOT");
                assertThat(after.address()).as("address of %s after restart", entry.getKey().mac())
                        .isEqualTo(before.get(entry.getKey()).address());
            }
            ClientLease renewed = udhcpc.renew();
            assertThat(renewed.address()).isEqualTo(before.get(udhcpcHost).address());
        }
    }

    private static BackgroundProcess startAppliance(Path stateDir) throws IOException {
        return LAB.startServer(ApplianceServer.fromSystemProperty(), NetnsLab.resource("dhcp-clients.yaml"), stateDir);
    }
}
