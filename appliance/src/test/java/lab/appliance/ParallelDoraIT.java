package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.ClientLease;
import lab.appliance.netns.DhcpClientKind;
import lab.appliance.netns.JournalEntry;
import lab.appliance.netns.LeaseJournalFile;
import lab.appliance.netns.NetnsLab;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fifty udhcpc clients in fifty namespaces run DORA at the same moment; each gets its own pool address. */
@Tag("netns")
class ParallelDoraIT {

    private static final int CLIENTS = 50;

    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(CLIENTS);

    @Test
    void fiftySimultaneousClientsGetDistinctPoolAddresses() throws IOException {
        Path stateDir = LAB.newDirectory("state");
        LAB.startServer(ApplianceServer.fromSystemProperty(), NetnsLab.resource("dhcp-clients.yaml"), stateDir);

        // One thread per client so all fifty DISCOVERs are in flight together; each run is bounded by the
        // driver's own deadline, so the join below is bounded too.
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        Map<ClientHost, ClientLease> leases;
        try {
            List<CompletableFuture<Map.Entry<ClientHost, ClientLease>>> runs = new ArrayList<>();
            for (ClientHost host : LAB.clients()) {
                Path dir = LAB.newDirectory("udhcpc");
                runs.add(CompletableFuture.supplyAsync(
                        () -> Map.entry(host, DhcpClientKind.UDHCPC.driverFor(host, dir).obtain()), pool));
            }
            leases = runs.stream().map(CompletableFuture::join)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        } finally {
            pool.shutdownNow();
        }

        List<String> addresses = leases.values().stream().map(ClientLease::address).toList();
        assertThat(addresses).hasSize(CLIENTS).doesNotHaveDuplicates();
        assertThat(leases.values()).allSatisfy(lease -> {
            assertThat(inPool(lease.ip())).as("%s in 10.20.1.1-10.20.3.254", lease.address()).isTrue();
            assertThat(lease.prefixLength()).isEqualTo(16);
        });

        // Every ACK the clients got is in the journal, for the address that client got and no other. A client
        // that retransmits its REQUEST under load (udhcpc does, seen here) gets a second ACK and a second line for
        // the same address; that is a renewal, not a second lease.
        Map<String, String> expected = leases.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().mac().toString(), e -> e.getValue().address()));
        List<JournalEntry> active = new LeaseJournalFile(stateDir).entries().stream()
                .filter(e -> e.state().equals("ACTIVE"))
                .toList();
        assertThat(active).allSatisfy(e -> assertThat(expected).as("only the test's clients got leases")
                .containsEntry(e.mac(), e.ip()));
        assertThat(active.stream().map(JournalEntry::mac).distinct().count()).isEqualTo(CLIENTS);
    }

    private static boolean inPool(Inet4Address address) {
        byte[] b = address.getAddress();
        int third = b[2] & 0xFF;
        int fourth = b[3] & 0xFF;
        return (b[0] & 0xFF) == 10 && (b[1] & 0xFF) == 20 && third >= 1 && third <= 3
                && fourth >= 1 && !(third == 3 && fourth == 255);
    }
}
