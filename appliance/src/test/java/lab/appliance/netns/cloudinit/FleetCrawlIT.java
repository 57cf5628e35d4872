package lab.appliance.netns.cloudinit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.ClientLease;
import lab.appliance.netns.DhcpClientKind;
import lab.appliance.netns.NetnsLab;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fifty VMs lease with udhcpc, then real cloud-init Ec2 crawls from all of them at once; each gets only its own data. */
@Tag("netns")
class FleetCrawlIT {

    private static final int VMS = 50;

    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(VMS);

    @Test
    void fiftySimultaneousCrawlsEachGetTheirOwnInstance() throws IOException {
        CloudInitCrawler crawler = new CloudInitCrawler(CloudInitTree.assumeAvailable(), "10.20.0.1");
        LAB.startServer(ApplianceServer.fromSystemProperty(), NetnsLab.resource("fleet.yaml"), LAB.newDirectory("state"));

        // Every run below is bounded by its driver's own deadline, so each join is bounded too.
        ExecutorService pool = Executors.newFixedThreadPool(VMS);
        try {
            Map<ClientHost, ClientLease> leases = inParallel(pool, LAB.clients(),
                    host -> DhcpClientKind.UDHCPC.driverFor(host, LAB.newDirectory("udhcpc")).obtain());

            long aloneStart = System.nanoTime();
            CloudInitResult alone = crawler.crawl(LAB.client(0), Datasource.EC2, LAB.newDirectory("alone"));
            Duration aloneTime = Duration.ofNanos(System.nanoTime() - aloneStart);
            assertOwnInstance(alone, leases.get(LAB.client(0)));

            long fleetStart = System.nanoTime();
            Map<ClientHost, CloudInitResult> results = inParallel(pool, LAB.clients(),
                    host -> crawler.crawl(host, Datasource.EC2, LAB.newDirectory("fleet")));
            Duration fleetTime = Duration.ofNanos(System.nanoTime() - fleetStart);
            System.out.printf("FleetCrawlIT: one Ec2 crawl alone took %.1f s; %d simultaneous crawls took %.1f s%n",
                    aloneTime.toMillis() / 1000.0, VMS, fleetTime.toMillis() / 1000.0);

            results.forEach((host, result) -> assertOwnInstance(result, leases.get(host)));
            assertThat(results.values().stream().map(r -> r.instanceId().orElseThrow()).distinct().count())
                    .isEqualTo(VMS);
            assertThat(results.values().stream().map(r -> r.hostname().orElseThrow()).distinct().count())
                    .isEqualTo(VMS);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Its instance and hostname are there, and the user-data was rendered for its own address and hostname. */
    private static void assertOwnInstance(CloudInitResult result, ClientLease lease) {
        assertThat(result.success()).as("crawl from %s (log %s)", lease.address(), result.log()).isTrue();
        assertThat(result.instanceId()).hasValueSatisfying(id -> assertThat(id).isNotBlank());
        assertThat(result.metadata().path("local-ipv4").asText()).as("local-ipv4 of %s", lease.address())
                .isEqualTo(lease.address());
        String hostname = result.hostname().orElseThrow();
        assertThat(hostname).matches("vm-\\d+");
        assertThat(result.userData()).hasValueSatisfying(u -> assertThat(u)
                .contains("hostname: " + hostname + "\n")
                .contains("content: \"" + lease.address() + "\""));
    }

    private static <R> Map<ClientHost, R> inParallel(ExecutorService pool, List<ClientHost> hosts,
                                                     Function<ClientHost, R> task) {
        List<CompletableFuture<Map.Entry<ClientHost, R>>> runs = new ArrayList<>();
        for (ClientHost host : hosts) {
            runs.add(CompletableFuture.supplyAsync(() -> Map.entry(host, task.apply(host)), pool));
        }
        return runs.stream().map(CompletableFuture::join)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
