package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.ClientLease;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.UdhcpcDriver;
import lab.appliance.netns.UdhcpcSession;
import lab.appliance.netns.cloudinit.CloudInitCrawler;
import lab.appliance.netns.cloudinit.CloudInitResult;
import lab.appliance.netns.cloudinit.CloudInitTree;
import lab.appliance.netns.cloudinit.Datasource;
import lab.pgstore.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An active/standby pair on one lab bridge, its PostgreSQL database on a management network of its own: 50 clients
 * boot at once, the active node is killed with SIGKILL in the middle of it, and the standby takes over. No ACKed lease
 * is lost (every address a client was given is in the database, and the clients that had one keep it when they
 * renew with the new active), no address is given twice, and cloud-init's datasource code gets its VM's record from
 * the new active; the CloudStack password VM 2 acknowledged to the old active is not handed out again, since the
 * password ledger, like the leases, is the pair's, in the database.
 */
@Tag("netns")
class PairFailoverIT {

    private static final int POOL_CLIENTS = 48;
    private static final String VM_1 = "02:00:00:aa:00:01";
    private static final Duration TAKEOVER_AFTER = Duration.ofSeconds(4);
    private static final int DATABASE_PORT = 5432;
    private static final Pattern TAKEOVER = Pattern.compile(
            "pair takeover node=(\\S+) pair=\\S+ epoch=(\\d+) previous=(\\S+) previous_silent_seconds=([0-9.]+) "
                    + "takeover_seconds=([0-9.]+) leases=(\\d+)");

    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(POOL_CLIENTS).plusClient(VM_1).plusClient("02:00:00:aa:00:02")
            .asPair();

    private static LocalPostgres database;
    private static CloudInitTree cloudInit;

    @BeforeAll
    static void startDatabase() throws IOException {
        Optional<String> reason = LocalPostgres.unavailableReason();
        Assumptions.assumeTrue(reason.isEmpty(), () -> "PairFailoverIT skipped: " + reason.orElse(""));
        cloudInit = CloudInitTree.assumeAvailable();
        database = LocalPostgres.start(Optional.of(LAB.databaseNamespace().name()), NetnsLab.DATABASE_ADDRESS,
                DATABASE_PORT);
    }

    @AfterAll
    static void stopDatabase() throws IOException {
        // The nodes first, so they report themselves stopped and give the lock up while the database is there.
        LAB.stopProcesses();
        if (database != null) {
            database.close();
        }
    }

    @Test
    void standbyTakesOverWhenTheActiveIsKilledInTheMiddleOfABootStorm() throws Exception {
        Path configA = nodeConfig("a");
        Path configB = nodeConfig("b");
        BackgroundProcess nodeA = startNode(0, "a", configA);
        awaitLine(nodeA, "pair takeover node=a", Duration.ofSeconds(60));
        BackgroundProcess nodeB = startNode(1, "b", configB);
        awaitLine(nodeB, "pair node started as standby node=b", Duration.ofSeconds(60));
        assertThat(status(configB)).contains("active: a (epoch 1");

        List<ClientHost> hosts = LAB.clients();
        Map<ClientHost, UdhcpcDriver> drivers = new LinkedHashMap<>();
        List<UdhcpcSession> sessions = Collections.synchronizedList(new ArrayList<>());
        CloudInitCrawler crawler = new CloudInitCrawler(cloudInit, "10.20.0.1");
        ClientHost vm2 = hosts.get(POOL_CLIENTS + 1);
        try {
            // VM 2 first: it takes its CloudStack password from node a and acknowledges it, before the storm.
            for (ClientHost host : hosts) {
                UdhcpcDriver driver = UdhcpcDriver.persistent(host, LAB.newDirectory("udhcpc"));
                drivers.put(host, driver);
            }
            UdhcpcSession vm2Session = drivers.get(vm2).startSession();
            vm2Session.awaitBound();
            CloudInitResult password = crawler.crawl(vm2, Datasource.CLOUDSTACK, LAB.newDirectory("password-a"));
            assertThat(password.password()).as("password from node a (log %s)", password.log())
                    .hasValue("Lab-Passw0rd-2");
            // The storm: clients start one after the other while the first are already in DORA; the active dies
            // once five of them are bound, so some are mid-exchange and the last ones start with no server at all.
            CompletableFuture<Void> storm = CompletableFuture.runAsync(() -> {
                for (ClientHost host : hosts) {
                    sessions.add(host.equals(vm2) ? vm2Session : drivers.get(host).startSession());
                }
            });
            await("first clients of the storm bound").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(10)).until(() -> bound(drivers) >= 6);
            int boundBeforeKill = bound(drivers);
            long killedAt = System.nanoTime();
            nodeA.kill(Duration.ofSeconds(30));
            Map<ClientHost, Boolean> hadLease = new LinkedHashMap<>();
            drivers.forEach((host, driver) -> hadLease.put(host, driver.events().contains("bound")));
            storm.get(60, TimeUnit.SECONDS);

            awaitLine(nodeB, "pair takeover node=b", Duration.ofSeconds(60));
            double sinceKill = (System.nanoTime() - killedAt) / 1e9;
            Matcher takeover = TAKEOVER.matcher(nodeB.output());
            assertThat(takeover.find()).as("takeover line of node b").isTrue();

            Map<ClientHost, ClientLease> leases = new LinkedHashMap<>();
            for (int i = 0; i < hosts.size(); i++) {
                leases.put(hosts.get(i), sessions.get(i).awaitBound());
            }
            System.out.printf(Locale.ROOT, "pair failover: %d of %d clients bound when node a was killed; node b took"
                            + " over %.2f s after the kill (lock silent %s s, its start %s s, %s leases loaded)%n",
                    boundBeforeKill, hosts.size(), sinceKill, takeover.group(4), takeover.group(5),
                    takeover.group(6));

            Set<String> addresses = new HashSet<>();
            leases.values().forEach(lease -> addresses.add(lease.address()));
            assertThat(addresses).as("no address given twice").hasSize(hosts.size());
            List<String> active = database.query(
                    "SELECT mac::text || ' ' || host(ip) FROM lease WHERE state = 'ACTIVE' AND expires > now()");
            leases.forEach((host, lease) -> assertThat(active).as("database holds the ACK of %s", host.mac())
                    .contains(host.mac() + " " + lease.address()));
            assertThat(database.query("SELECT mac FROM lease WHERE state = 'ACTIVE' GROUP BY mac HAVING count(*) > 1"))
                    .as("MACs with two active leases").isEmpty();

            // The clients bound by the dead node renew with the new active, which has their leases.
            for (int i = 0; i < hosts.size(); i++) {
                ClientHost host = hosts.get(i);
                if (hadLease.get(host)) {
                    ClientLease renewed = sessions.get(i).renew(Duration.ofSeconds(30));
                    assertThat(renewed.address()).as("address of %s renewed with node b", host.mac())
                            .isEqualTo(leases.get(host).address());
                }
            }

            ClientHost vm1 = hosts.get(POOL_CLIENTS);
            CloudInitResult crawl = crawler.crawl(vm1, Datasource.EC2, LAB.newDirectory("crawl-ec2"));
            assertThat(crawl.success()).as("EC2 crawl after takeover (log %s)", crawl.log()).isTrue();
            assertThat(crawl.instanceId()).hasValue("i-waf-edge-1");
            assertThat(crawl.hostname()).hasValue("waf-edge-1");

            // The password ledger is the pair's, in the database: node b knows VM 2 saved its password.
            CloudInitResult again = crawler.crawl(vm2, Datasource.CLOUDSTACK, LAB.newDirectory("password-b"));
            assertThat(again.success()).as("CloudStack crawl after takeover (log %s)", again.log()).isTrue();
            assertThat(again.instanceId()).hasValue("i-waf-edge-2");
            assertThat(again.password()).as("password handed out again by node b").isEmpty();

            String status = status(configB);
            assertThat(status).contains("active: b (epoch 2");
            assertThat(status).containsPattern("a\\s+active\\?\\s+[0-9.]+ s ago \\(silent\\)");

            // Node a comes back as standby; a planned stop of node b hands the pair over at a's next heartbeat,
            // without waiting out the takeover time, and the clients renew with node a.
            BackgroundProcess nodeA2 = startNode(0, "a", configA);
            awaitLine(nodeA2, "pair node started as standby node=a", Duration.ofSeconds(60));
            long stoppedAt = System.nanoTime();
            // 143: the JVM ran its shutdown hooks on SIGTERM and exited as signalled.
            assertThat(nodeB.terminate(Duration.ofSeconds(30))).isIn(0, 143);
            awaitLine(nodeA2, "pair takeover node=a", Duration.ofSeconds(30));
            double handover = (System.nanoTime() - stoppedAt) / 1e9;
            assertThat(nodeA2.output()).contains("previous=(none, or stopped cleanly)");
            System.out.printf(Locale.ROOT, "pair switchover: node a active %.2f s after node b was stopped%n",
                    handover);
            for (int i = 0; i < hosts.size(); i += 7) {
                assertThat(sessions.get(i).renew(Duration.ofSeconds(30)).address())
                        .as("address of %s renewed with node a again", hosts.get(i).mac())
                        .isEqualTo(leases.get(hosts.get(i)).address());
            }
        } finally {
            synchronized (sessions) {
                sessions.forEach(UdhcpcSession::close);
            }
        }
    }

    private static int bound(Map<ClientHost, UdhcpcDriver> drivers) {
        return (int) drivers.values().stream().filter(d -> d.events().contains("bound")).count();
    }

    private static Path nodeConfig(String node) throws IOException {
        Path dir = LAB.newDirectory("node-" + node);
        Path password = dir.resolve("db.password");
        Files.writeString(password, database.password() + "\n", StandardCharsets.UTF_8);
        String base = Files.readString(NetnsLab.resource("metadata.yaml"), StandardCharsets.UTF_8);
        String config = base + String.format(Locale.ROOT, """
                store:
                  kind: postgresql
                  url: jdbc:postgresql://%s:%d/postgres
                  user: %s
                  password-file: %s
                ha:
                  node: %s
                  pair: lab
                  takeover-after: %ds
                  heartbeat-every: 1s
                """, NetnsLab.DATABASE_ADDRESS, DATABASE_PORT, LocalPostgres.USER, password, node,
                TAKEOVER_AFTER.toSeconds());
        Path file = dir.resolve("appliance.yaml");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return file;
    }

    private static BackgroundProcess startNode(int index, String node, Path config) throws IOException {
        List<String> command = ApplianceServer.fromSystemProperty().command(config, LAB.newDirectory("state-" + node));
        return LAB.spawn(LAB.pairNode(index), "node-" + node, command);
    }

    private static String status(Path config) {
        List<String> command = new ArrayList<>(ApplianceServer.fromSystemProperty().command(config, Path.of("/tmp")));
        // java -jar JAR run --config FILE --state-dir DIR -> java -jar JAR status --config FILE
        int run = command.indexOf("run");
        List<String> statusCommand = new ArrayList<>(command.subList(0, run));
        statusCommand.addAll(List.of("status", "--config", config.toString()));
        CommandResult result = LAB.pairNode(1).exec(Duration.ofSeconds(60), statusCommand);
        System.out.println("appliance status:\n" + result.describe());
        return result.describe();
    }

    private static void awaitLine(BackgroundProcess process, String line, Duration timeout) {
        await(line).atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> process.output().contains(line) || !process.isAlive());
        assertThat(process.output()).as("output of %s", process.name()).contains(line);
    }
}
