package lab.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.appliance.netns.AdminApiCalls;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.ClientLease;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.DhclientDriver;
import lab.appliance.netns.JournalEntry;
import lab.appliance.netns.LeaseJournalFile;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.UdhcpcDriver;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pool starvation: the real appliance.jar with a 200-address pool and {@code dhcp.unknown-clients} at 50 % and 20 a
 * second (pool-starvation.yaml). A hostile namespace runs {@link DhcpFlood}: DISCOVERs from 100,000 distinct random
 * MACs, and a REQUEST for every OFFER it gets. While it runs, the lab's own clients keep getting leases, again and
 * again: a reserved VM (dhclient), a MAC of a profile's prefix and a client with a profile's vendor class (udhcpc),
 * each taking its first lease only once the strangers' share is full. After it, a VM record and a profiled MAC that
 * never leased before get leases too, while the flood holds no more than its share. Last, the share is reloaded like
 * any DHCP key: at 100 % one more stranger is offered an address, at 0 % the next one is not.
 */
@Tag("netns")
class PoolStarvationIT {

    private static final int FLOOD_MACS = 100_000;
    private static final int FLOOD_RATE = 5_000;
    private static final int FLOOD_SECONDS = 60;
    private static final int POOL_SIZE = 200;
    private static final int UNKNOWN_CAP = POOL_SIZE / 2;
    private static final String RESERVED_IP = "10.20.0.11";
    private static final Duration FLOOD_DEADLINE = Duration.ofSeconds(FLOOD_SECONDS + 30);
    private static final Pattern SUMMARY = Pattern.compile(
            "flood tried=(\\d+) offers=(\\d+) requests=(\\d+) acks=(\\d+) naks=(\\d+) seconds=([0-9.]+)");

    /** Client 0 is the hostile host; the others are the lab's own, by MAC. */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(1)
            .plusClient("02:00:00:00:01:01")  // 1: reserved (dhcp.reservations)
            .plusClient("02:00:00:aa:00:01")  // 2: profile "lab" by MAC prefix
            .plusClient("02:00:00:10:0f:01")  // 3: profile "waf" by vendor class
            .plusClient("02:00:00:00:02:01")  // 4: VM record, first lease after the flood
            .plusClient("02:00:00:aa:00:02"); // 5: profile "lab" by MAC prefix, first lease after the flood

    @Test
    void theFloodGetsItsShareAndNoMoreWhileTheLabsOwnClientsKeepGettingLeases() throws IOException {
        Path stateDir = LAB.newDirectory("state");
        Path config = LAB.newDirectory("config").resolve("appliance.yaml");
        Files.copy(NetnsLab.resource("pool-starvation.yaml"), config);
        LAB.startServer(ApplianceServer.fromSystemProperty(), config, stateDir);
        AdminApiCalls admin = new AdminApiCalls(LAB.server(), "http://127.0.0.1:8807", stateDir.resolve("admin.token"));
        ClientHost hostile = LAB.client(0);
        hostile.namespace().exec("ip", "addr", "add", "10.20.250.1/16", "dev", ClientHost.INTERFACE).requireSuccess();
        DhclientDriver reserved = DhclientDriver.on(LAB.client(1), LAB.newDirectory("dhclient-reserved"));
        UdhcpcDriver byPrefix = UdhcpcDriver.on(LAB.client(2), LAB.newDirectory("udhcpc-prefix"));
        UdhcpcDriver byVendorClass = UdhcpcDriver.on(LAB.client(3), LAB.newDirectory("udhcpc-vendor"), "waf-7.1");

        BackgroundProcess flood = LAB.track(hostile.namespace().spawn("dhcp-flood",
                LAB.newDirectory("flood").resolve("flood.out"), floodCommand()));
        await("the strangers' share to fill (pool-share refusals)").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !flood.isAlive() || sums(metrics(admin), "dhcp_unknown_clients_refused_total", "reason")
                        .getOrDefault("pool-share", 0L) > 0);
        assertThat(flood.isAlive()).as("flood still running once the share is full:\n%s", flood.output()).isTrue();

        int rounds = 0;
        List<String> served = new ArrayList<>();
        while (flood.isAlive()) {
            LAB.client(1).flushAddresses();
            ClientLease reservedLease = reserved.obtain();
            assertThat(reservedLease.address()).isEqualTo(RESERVED_IP);
            served.add(reservedLease.address());
            served.add(inPool(obtain(LAB.client(2), byPrefix)));
            served.add(inPool(obtain(LAB.client(3), byVendorClass)));
            rounds++;
        }
        assertThat(flood.awaitExit(FLOOD_DEADLINE)).as("flood exit status:\n%s", flood.output()).isZero();
        Matcher summary = SUMMARY.matcher(flood.output());
        assertThat(summary.find()).as("flood summary in:\n%s", flood.output()).isTrue();
        long tried = Long.parseLong(summary.group(1));

        String knownVm = inPool(DhclientDriver.on(LAB.client(4), LAB.newDirectory("dhclient-known")).obtain()
                .address());
        String profiledMac = inPool(obtain(LAB.client(5),
                UdhcpcDriver.on(LAB.client(5), LAB.newDirectory("udhcpc-new"))));

        long floodLeases = activeFloodLeases(stateDir);
        String metrics = metrics(admin);
        Map<String, Long> refusals = sums(metrics, "dhcp_unknown_clients_refused_total", "reason");
        long shed = sums(metrics, "dhcp_packets_dropped_total", "reason").getOrDefault("overloaded", 0L);
        long timelines = sums(metrics, "fleet_vms", "phase").values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("pool starvation: flood MACs tried=%d in %s s at %d/s; offers to the flood=%s, its"
                        + " REQUESTs=%s, leases it got=%s (ACKs; NAKs=%s); flood leases in the journal=%d = %.0f%% of"
                        + " the %d-address pool (cap %d); refused: pool-share=%d rate-limit=%d; the lab's own clients"
                        + " served during the flood: %d leases in %d rounds (reserved VM, MAC-prefix profile,"
                        + " vendor-class profile), none refused;"
                        + " after it: VM record got %s, new profiled MAC got %s; shed as overload (before the gate)=%d;"
                        + " boot timelines kept=%d%n",
                tried, summary.group(6), FLOOD_RATE, summary.group(2), summary.group(3), summary.group(4),
                summary.group(5), floodLeases, 100.0 * floodLeases / POOL_SIZE, POOL_SIZE, UNKNOWN_CAP,
                refusals.getOrDefault("pool-share", 0L), refusals.getOrDefault("rate-limit", 0L), served.size(),
                rounds, knownVm, profiledMac, shed, timelines);

        assertThat(tried).as("MACs the flood tried").isEqualTo(FLOOD_MACS);
        assertThat(rounds).as("rounds of the lab's clients during the flood").isPositive();
        assertThat(floodLeases).as("addresses the flood holds").isPositive().isLessThanOrEqualTo(UNKNOWN_CAP);
        assertThat(Long.parseLong(summary.group(4))).as("ACKs the flood got").isLessThanOrEqualTo(UNKNOWN_CAP);
        assertThat(refusals.getOrDefault("pool-share", 0L)).as("strangers refused at the full share").isPositive();
        assertThat(refusals.getOrDefault("rate-limit", 0L)).as("the rate held back the flood while the share filled")
                .isPositive();
        // A refused stranger is never told to the fleet: the flood leaves timelines only for the MACs it was offered
        // to (at most the share while no offer runs out), not one per MAC it tried.
        assertThat(timelines).as("boot timelines").isLessThanOrEqualTo(2L * UNKNOWN_CAP + LAB.clients().size());

        reloadWithShare(admin, config, "100%");
        assertThat(probe(hostile, 1)).as("a stranger once the share is 100%").isEqualTo(1);
        reloadWithShare(admin, config, "0%");
        assertThat(probe(hostile, 2)).as("a stranger once the share is 0%").isZero();
    }

    private static void reloadWithShare(AdminApiCalls admin, Path config, String share) throws IOException {
        String text = Files.readString(config, StandardCharsets.UTF_8);
        Files.writeString(config, text.replaceFirst("pool-share: [0-9]+%", "pool-share: " + share),
                StandardCharsets.UTF_8);
        AdminApiCalls.Response reloaded = admin.call("POST", "/api/v1/reload", null);
        assertThat(reloaded.status()).as("reload: %s", reloaded.body()).isEqualTo(200);
    }

    /** One more stranger's DISCOVER from the hostile host: how many OFFERs it got. */
    private static long probe(ClientHost hostile, long seed) {
        String java = ProcessHandle.current().info().command().orElse("java");
        CommandResult result = hostile.namespace().exec(Duration.ofSeconds(60), java, "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), DhcpFlood.class.getName(), "1", "1", "5", Long.toString(seed))
                .requireSuccess();
        Matcher summary = SUMMARY.matcher(result.output());
        assertThat(summary.find()).as("probe summary in:\n%s", result.output()).isTrue();
        return Long.parseLong(summary.group(2));
    }

    private static List<String> floodCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), DhcpFlood.class.getName(),
                Integer.toString(FLOOD_MACS), Integer.toString(FLOOD_RATE), Integer.toString(FLOOD_SECONDS), "4242");
    }

    private static String obtain(ClientHost host, UdhcpcDriver driver) {
        host.flushAddresses();
        return driver.obtain().address();
    }

    private static String inPool(String address) {
        String[] octets = address.split("\\.");
        int last = Integer.parseInt(octets[3]);
        assertThat(octets[0] + "." + octets[1] + "." + octets[2]).as(address).isEqualTo("10.20.1");
        assertThat(last).as(address).isBetween(1, POOL_SIZE);
        return address;
    }

    /** Flood MACs whose latest journal line is an ACTIVE lease (none can have run out: leases last an hour). */
    private static long activeFloodLeases(Path stateDir) {
        Map<String, JournalEntry> latest = new HashMap<>();
        for (JournalEntry entry : new LeaseJournalFile(stateDir).entries()) {
            latest.put(entry.mac(), entry);
        }
        return latest.values().stream()
                .filter(e -> e.mac().startsWith(DhcpFlood.FLOOD_OCTET_TEXT + ":") && e.state().equals("ACTIVE"))
                .count();
    }

    private static String metrics(AdminApiCalls admin) {
        AdminApiCalls.Response response = admin.call("GET", "/metrics", null);
        assertThat(response.status()).as("/metrics: %s", response.body()).isEqualTo(200);
        return response.body();
    }

    /** The samples of one metric family by the value of its one label. */
    private static Map<String, Long> sums(String metrics, String family, String label) {
        Map<String, Long> counts = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(family) + "\\{" + label + "=\"([a-z-]+)\"} ([0-9.E+]+)$")
                .matcher(metrics);
        while (m.find()) {
            counts.merge(m.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
        }
        return counts;
    }
}
