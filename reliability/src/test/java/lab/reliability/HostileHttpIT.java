package lab.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import lab.appliance.admin.AdminServer;
import lab.appliance.netns.AdminApiCalls;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.ClientLease;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.UdhcpcDriver;
import lab.appliance.netns.cloudinit.CloudInitCrawler;
import lab.appliance.netns.cloudinit.CloudInitResult;
import lab.appliance.netns.cloudinit.CloudInitTree;
import lab.appliance.netns.cloudinit.Datasource;
import lab.metadata.MetadataServer;
import lab.metadata.cloudstack.PasswordServer;
import lab.metadata.http.HostileRequests;
import lab.metadata.http.HttpLimits;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The packaged appliance under hostile HTTP input while three lab VMs crawl it with cloud-init's own datasources.
 *
 * <p>A fourth namespace, itself a leased VM, runs {@code hostile-http.py}: every malformed and smuggling request of
 * the metadata module's {@link HostileRequests}, a request line, headers and bodies (by length and chunked) over each
 * server's limits, against the metadata service on 10.20.0.1 and 169.254.169.254, the password server and the admin
 * API; traversal and odd encodings against its own metadata tree; 20 slowloris connections per server; 10,000
 * connections from one address to the metadata port and 1,200 from 20 addresses to the admin API, all held at once.
 * Meanwhile the VMs crawl (Ec2, CloudStack with its password server, NoCloud and OpenStack) until the attack ends.
 *
 * <p>Expected: every crawl succeeds with the VM's own instance; each hostile request gets its status and a close;
 * every slowloris connection is cut at its server's request deadline; the per-address cap admits at most 64 of the
 * 10,000 and the admin API's cap at most 256 of the 1,200, the rest closed at once; the appliance's file descriptors
 * stay far below the connections opened; it logs no stack trace and still answers afterwards; /metrics counts it all.
 */
@Tag("netns")
class HostileHttpIT {

    private static final String SERVER = "10.20.0.1";
    private static final String LINK_LOCAL = "169.254.169.254";
    private static final String HOSTILE_VM = "10.20.0.66";
    /** Unknown callers, one per attack, so each meets the per-address cap on its own. */
    private static final String REQUESTS_FROM = "10.20.9.1";
    private static final String SLOWLORIS_FROM = "10.20.9.2";
    private static final String FLOOD_FROM = "10.20.9.3";
    private static final int ADMIN_FLOOD_ADDRESSES = 20;
    private static final int METADATA_FLOOD = 10_000;
    private static final int ADMIN_FLOOD_PER_ADDRESS = 60;
    private static final int SLOWLORIS_PER_TARGET = 20;
    /** The limits the packaged appliance runs with, by attack target. */
    private static final Map<String, HttpLimits> LIMITS = Map.of("metadata", MetadataServer.LIMITS,
            "link-local", MetadataServer.LIMITS, "password", PasswordServer.LIMITS, "admin", AdminServer.LIMITS);
    private static final int PER_ADDRESS_CAP = MetadataServer.LIMITS.maxConnectionsPerAddress();
    private static final int ADMIN_CAP = AdminServer.LIMITS.maxConnections();
    private static final Duration ATTACK_TIMEOUT = Duration.ofSeconds(150);
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Clients: the Ec2 VM, the CloudStack VM, the NoCloud/OpenStack VM, the hostile VM. */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(0).plusClient("02:00:00:aa:00:01").plusClient("02:00:00:aa:00:02")
            .plusClient("02:00:00:aa:00:03").plusClient("02:00:00:ee:00:01");

    @Test
    void vmsAreServedWhileAHostileVmAttacksEveryHttpServer() throws Exception {
        CloudInitCrawler crawler = new CloudInitCrawler(CloudInitTree.assumeAvailable(), SERVER);
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), PYTHON + " is missing (the hostile client is a python3 "
                + "script; Debian's python3)");
        Path stateDir = LAB.newDirectory("state");
        BackgroundProcess appliance = LAB.startServer(ApplianceServer.fromSystemProperty(),
                NetnsLab.resource("hostile-http.yaml"), stateDir);
        List<ClientHost> vms = LAB.clients().subList(0, 3);
        ClientHost hostile = LAB.client(3);
        for (ClientHost host : LAB.clients()) {
            host.flushAddresses();
            ClientLease lease = UdhcpcDriver.on(host, LAB.newDirectory("udhcpc")).obtain();
            assertThat(lease.address()).startsWith("10.20.0.");
        }
        StringBuilder addresses = new StringBuilder();
        for (String extra : hostileSources()) {
            addresses.append("addr add ").append(extra).append("/16 dev ").append(ClientHost.INTERFACE).append('\n');
        }
        hostile.namespace().ipBatch(addresses.toString()).requireSuccess();
        Path plan = writePlan(LAB.newDirectory("plan").resolve("plan.json"));
        long baselineFds = openFiles(appliance.pid());

        AtomicLong maxFds = new AtomicLong(baselineFds);
        AtomicBoolean attacking = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (attacking.get() && appliance.isAlive()) {
                maxFds.accumulateAndGet(openFiles(appliance.pid()), Math::max);
                sleepQuietly(Duration.ofMillis(200));
            }
        }, "fd-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long attackStart = System.nanoTime();
        CommandResult attackRun;
        double attackSeconds;
        List<Crawl> done;
        try {
            CompletableFuture<CommandResult> attack = CompletableFuture.supplyAsync(() -> hostile.namespace().exec(
                    ATTACK_TIMEOUT, PYTHON.toString(), NetnsLab.resource("hostile-http.py").toString(),
                    "--plan", plan.toString()));
            List<CompletableFuture<List<Crawl>>> crawls = List.of(
                    crawlUntilDone(crawler, vms.get(0), List.of(Datasource.EC2), "i-vm-ec2", attack),
                    crawlUntilDone(crawler, vms.get(1), List.of(Datasource.CLOUDSTACK), "i-vm-cloudstack", attack),
                    crawlUntilDone(crawler, vms.get(2), List.of(Datasource.NOCLOUD, Datasource.OPENSTACK),
                            "i-vm-nocloud", attack));
            attackRun = attack.join();
            attackSeconds = (System.nanoTime() - attackStart) / 1e9;
            done = crawls.stream().flatMap(c -> c.join().stream()).toList();
        } finally {
            attacking.set(false);
            sampler.join();
        }

        assertThat(attackRun.succeeded()).as("hostile-http.py: %s", attackRun.describe()).isTrue();
        JsonNode observed = JSON.readTree(attackRun.output().lines().filter(l -> l.startsWith("{"))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no JSON from hostile-http.py: "
                        + attackRun.describe())));
        Map<Integer, Integer> statuses = checkRequests(observed.path("requests"));
        Map<String, String> slowloris = checkSlowloris(observed.path("slowloris"));
        JsonNode metadataFlood = flood(observed, "metadata");
        JsonNode adminFlood = flood(observed, "admin");
        assertThat(observed.path("nofile").asInt()).as("the hostile client's RLIMIT_NOFILE")
                .isGreaterThan(METADATA_FLOOD + ADMIN_FLOOD_ADDRESSES * ADMIN_FLOOD_PER_ADDRESS);
        checkFlood(metadataFlood, METADATA_FLOOD, PER_ADDRESS_CAP);
        checkFlood(adminFlood, ADMIN_FLOOD_ADDRESSES * ADMIN_FLOOD_PER_ADDRESS, ADMIN_CAP);
        assertThat(metadataFlood.path("admitted").asInt()).as("admitted from one address").isPositive();
        // The admin API's slowloris connections still hold their slots while the flood runs.
        assertThat(adminFlood.path("admitted").asInt()).as("admin connections admitted")
                .isBetween(ADMIN_CAP - SLOWLORIS_PER_TARGET, ADMIN_CAP);

        assertThat(done).as("crawls during the attack").hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(crawl -> assertThat(crawl.result().success())
                        .as("%s crawl from %s (log %s, error %s)", crawl.datasource(), crawl.vm(), crawl.result().log(),
                                crawl.result().error()).isTrue())
                .allSatisfy(crawl -> assertThat(crawl.result().instanceId()).as("%s crawl", crawl.datasource())
                        .hasValue(crawl.expectedId()));

        assertThat(appliance.isAlive()).as("appliance alive after the attack").isTrue();
        CloudInitResult after = crawler.crawl(vms.get(0), Datasource.EC2, LAB.newDirectory("after"));
        assertThat(after.instanceId()).as("Ec2 crawl after the attack (log %s)", after.log()).hasValue("i-vm-ec2");
        AdminApiCalls admin = new AdminApiCalls(LAB.server(), "http://" + SERVER + ":8807",
                stateDir.resolve("admin.token"));
        AdminApiCalls.Response metrics = admin.call("GET", "/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        Map<String, Long> refused = metricFamily(metrics.body(), "http_refused_total");
        Map<String, Long> answered = metricFamily(metrics.body(), "metadata_requests_total");
        assertThat(refused).containsKey("reason=\"address-connection-limit\",server=\"metadata\"")
                .containsKey("reason=\"server-connection-limit\",server=\"admin\"");
        assertThat(refused.get("reason=\"address-connection-limit\",server=\"metadata\""))
                .isEqualTo(metadataFlood.path("refused").asLong());
        assertThat(refused.get("reason=\"server-connection-limit\",server=\"admin\""))
                .isEqualTo(adminFlood.path("refused").asLong());
        String log = appliance.output();
        assertThat(log).as("appliance log").doesNotContain("Exception", "\tat ").doesNotContain(" ERROR ");
        List<String> warnings = log.lines().filter(l -> l.contains(" WARN ")).toList();

        System.out.printf("HostileHttpIT: attack ran %.1f s; %d hostile requests, statuses %s%n", attackSeconds,
                observed.path("requests").size(), statuses);
        System.out.printf("HostileHttpIT: slowloris connections closed by the server after (s) %s%n", slowloris);
        for (JsonNode f : List.of(metadataFlood, adminFlood)) {
            System.out.printf("HostileHttpIT: flood %s: %d planned, %d connected, %d connect failures, %d admitted, "
                            + "%d refused at once, opened in %.1f s%n", f.path("name").asText(),
                    f.path("planned").asInt(), f.path("connected").asInt(), f.path("connect_failed").asInt(),
                    f.path("admitted").asInt(), f.path("refused").asInt(), f.path("open_seconds").asDouble());
        }
        System.out.printf("HostileHttpIT: appliance open files %d before, %d at most during the attack%n", baselineFds,
                maxFds.get());
        System.out.printf("HostileHttpIT: %d VM crawls during the attack, all succeeded (%s); metadata requests "
                + "answered for known VMs %s%n", done.size(), summary(done), answered);
        System.out.printf("HostileHttpIT: http_refused %s; appliance WARN lines %d%n", refused, warnings.size());
        warnings.forEach(w -> System.out.println("HostileHttpIT:   " + w));

        assertThat(maxFds.get()).as("appliance file descriptors during %d connections", METADATA_FLOOD)
                .isLessThan(baselineFds + 2_000);
    }

    /** One crawl of a VM during the attack. */
    private record Crawl(String vm, Datasource datasource, String expectedId, CloudInitResult result) {
    }

    /** Crawls {@code vm} with its datasources in turn, at least once, until the attack has ended. */
    private static CompletableFuture<List<Crawl>> crawlUntilDone(CloudInitCrawler crawler, ClientHost vm,
                                                                 List<Datasource> datasources, String expectedId,
                                                                 CompletableFuture<?> attack) {
        return CompletableFuture.supplyAsync(() -> {
            List<Crawl> crawls = new ArrayList<>();
            do {
                Datasource datasource = datasources.get(crawls.size() % datasources.size());
                CloudInitResult result = crawler.crawl(vm, datasource, LAB.newDirectory("crawl"));
                crawls.add(new Crawl(vm.namespace().name(), datasource, expectedId, result));
            } while (!attack.isDone());
            return crawls;
        });
    }

    private static List<String> hostileSources() {
        List<String> sources = new ArrayList<>(List.of(REQUESTS_FROM, SLOWLORIS_FROM, FLOOD_FROM));
        sources.addAll(adminFloodSources());
        return sources;
    }

    private static List<String> adminFloodSources() {
        return Stream.iterate(10, i -> i + 1).limit(ADMIN_FLOOD_ADDRESSES).map(i -> "10.20.9." + i).toList();
    }

    /** The plan hostile-http.py runs; see its docstring. */
    private static Path writePlan(Path file) throws IOException {
        ObjectNode plan = JSON.createObjectNode();
        ArrayNode requests = plan.putArray("requests");
        Map<String, String[]> targets = new LinkedHashMap<>();
        targets.put("metadata", new String[] {SERVER, "80"});
        targets.put("link-local", new String[] {LINK_LOCAL, "80"});
        targets.put("password", new String[] {SERVER, "8080"});
        targets.put("admin", new String[] {SERVER, "8807"});
        targets.forEach((target, address) -> {
            for (Arguments a : HostileRequests.malformed()) {
                request(requests, target, address, "malformed: " + a.get()[0], (String) a.get()[1], 400);
            }
            for (Arguments a : HostileRequests.smuggling()) {
                request(requests, target, address, "smuggling: " + a.get()[0], (String) a.get()[1], 400);
            }
            request(requests, target, address, "request line over the limit",
                    HostileRequests.longRequestLine(LIMITS.get(target).maxRequestLineBytes() + 100), 414);
            request(requests, target, address, "64 KiB of headers", HostileRequests.hugeHeaders(64 * 1024), 431);
            request(requests, target, address, "body announced over the limit",
                    HostileRequests.announcedBody("/", LIMITS.get(target).maxBodyBytes() + 1), 413);
            request(requests, target, address, "chunked body over the limit",
                    HostileRequests.chunkedBody("/", 2 * LIMITS.get(target).maxBodyBytes()), 413);
        });
        for (String target : List.of("metadata", "link-local")) {
            for (Arguments a : HostileRequests.oddMetadataPaths()) {
                String get = "GET " + a.get()[0] + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
                request(requests, target, targets.get(target), "odd path: " + a.get()[0], get, (Integer) a.get()[1])
                        .put("source", HOSTILE_VM).put("odd_path", true);
            }
            ObjectNode own = request(requests, target, targets.get(target), "own instance-id",
                    "GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 200);
            own.put("source", HOSTILE_VM);
        }

        ObjectNode slowloris = plan.putObject("slowloris");
        slowloris.put("source", SLOWLORIS_FROM);
        slowloris.put("per_target", SLOWLORIS_PER_TARGET);
        slowloris.put("interval", 0.5);
        slowloris.put("budget", 45);
        slowloris.put("head", "GET /latest/meta-data/ HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(200));
        ArrayNode slowTargets = slowloris.putArray("targets");
        targets.forEach((target, address) -> slowTargets.addObject().put("name", target).put("host", address[0])
                .put("port", Integer.parseInt(address[1])));

        ArrayNode floods = plan.putArray("floods");
        ObjectNode metadata = floods.addObject().put("name", "metadata").put("host", SERVER).put("port", 80)
                .put("count", METADATA_FLOOD).put("budget", 40)
                .put("payload", "GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\n\r\n");
        metadata.putArray("sources").add(FLOOD_FROM);
        ObjectNode admin = floods.addObject().put("name", "admin").put("host", SERVER).put("port", 8807)
                .put("count", ADMIN_FLOOD_ADDRESSES * ADMIN_FLOOD_PER_ADDRESS).put("budget", 20)
                .put("payload", "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        ArrayNode adminSources = admin.putArray("sources");
        adminFloodSources().forEach(adminSources::add);
        JSON.writeValue(file.toFile(), plan);
        return file;
    }

    private static ObjectNode request(ArrayNode requests, String target, String[] address, String name,
                                      String payload, int expect) {
        return requests.addObject().put("target", target).put("name", target + " " + name)
                .put("host", address[0]).put("port", Integer.parseInt(address[1])).put("source", REQUESTS_FROM)
                .put("payload", payload).put("expect", expect);
    }

    /**
     * Each request got its expected status; a refusal came alone, said close and closed; an odd path got a normal
     * answer of the hostile VM's own tree. Returns the counts by status.
     */
    private static Map<Integer, Integer> checkRequests(JsonNode requests) {
        Map<Integer, Integer> byStatus = new TreeMap<>();
        for (JsonNode r : requests) {
            String name = r.path("name").asText();
            assertThat(r.has("error")).as("%s: %s", name, r.path("error").asText()).isFalse();
            int status = r.path("status").asInt();
            assertThat(status).as("%s (answer %s)", name, r.path("body").asText()).isEqualTo(r.path("expect").asInt());
            String body = r.path("body").asText();
            if (r.path("odd_path").asBoolean()) {
                assertThat(body).as(name).isIn("not found", "bad request: unusable path");
            } else if (status >= 400) {
                assertThat(r.path("says_close").asBoolean()).as("%s: Connection: close", name).isTrue();
                assertThat(r.path("closed").asBoolean()).as("%s: closed by the server", name).isTrue();
                assertThat(r.path("responses").asInt()).as("%s: one response only", name).isEqualTo(1);
            } else {
                assertThat(body).as(name).isEqualTo("i-hostile");
            }
            byStatus.merge(status, 1, Integer::sum);
        }
        return byStatus;
    }

    private static Map<String, String> checkSlowloris(JsonNode connections) {
        Map<String, List<Double>> closedAfter = new TreeMap<>();
        for (JsonNode c : connections) {
            String target = c.path("target").asText();
            assertThat(c.path("error").isNull()).as("slowloris connect to %s: %s", target, c.path("error")).isTrue();
            assertThat(c.path("closed_after").isNull()).as("slowloris connection to %s closed by the server", target)
                    .isFalse();
            closedAfter.computeIfAbsent(target, t -> new ArrayList<>()).add(c.path("closed_after").asDouble());
        }
        Map<String, String> ranges = new TreeMap<>();
        closedAfter.forEach((target, times) -> {
            long deadline = LIMITS.get(target).requestDeadline().toSeconds();
            double min = times.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double max = times.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            // Not before its deadline (less the client's 0.5 s between sweeps): the deadline closed them.
            assertThat(min).as("earliest slowloris close on %s", target)
                    .isGreaterThanOrEqualTo(deadline - 1.0);
            ranges.put(target, String.format("%d x %.1f-%.1f (deadline %d)", times.size(), min, max, deadline));
        });
        assertThat(ranges).containsOnlyKeys(LIMITS.keySet());
        return ranges;
    }

    private static JsonNode flood(JsonNode observed, String name) {
        for (JsonNode f : observed.path("floods")) {
            if (f.path("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no flood " + name + " in " + observed.path("floods"));
    }

    private static void checkFlood(JsonNode flood, int planned, int cap) {
        String name = flood.path("name").asText();
        assertThat(flood.path("attempted").asInt()).as("%s flood attempted", name).isEqualTo(planned);
        assertThat(flood.path("unclassified").asInt()).as("%s flood: neither answered nor closed", name).isZero();
        assertThat(flood.path("admitted").asInt() + flood.path("refused").asInt()).as("%s flood classified", name)
                .isEqualTo(flood.path("connected").asInt());
        assertThat(flood.path("admitted").asInt()).as("%s flood admitted", name).isLessThanOrEqualTo(cap);
    }

    /** {@code labels → value} of one counter family in Prometheus text. */
    private static Map<String, Long> metricFamily(String text, String name) {
        Map<String, Long> values = new TreeMap<>();
        text.lines().filter(l -> l.startsWith(name + "{")).forEach(l -> {
            String labels = l.substring(name.length() + 1, l.indexOf('}'));
            values.put(labels, (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
        });
        return values;
    }

    private static String summary(List<Crawl> crawls) {
        Map<Datasource, Integer> counts = new TreeMap<>();
        crawls.forEach(c -> counts.merge(c.datasource(), 1, Integer::sum));
        return counts.toString();
    }

    private static long openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the appliance's file descriptors", e);
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
