package lab.appliance.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import lab.appliance.ConfigFile;
import lab.appliance.fleet.BootDiagnosis;
import lab.appliance.fleet.FleetView;
import lab.appliance.fleet.VmTimeline;
import lab.appliance.inventory.EditedConfig;
import lab.appliance.inventory.InventoryChangesFile;
import lab.appliance.inventory.InventoryEdits;
import lab.appliance.inventory.LiveInventory;
import lab.appliance.inventory.ProfileAssignments;
import lab.appliance.inventory.VmHostnames;
import lab.appliance.metrics.ApplianceMetrics;
import lab.config.model.AdminConfig;
import lab.config.model.ApplianceConfig;
import lab.dhcp.MacAddress;
import lab.dhcp.alloc.AddressPool;
import lab.dhcp.codec.DhcpTrafficCounters;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseJournal;
import lab.dhcp.lease.LeaseState;
import lab.dhcp.lease.LeaseTable;
import lab.metadata.userdata.UserDataRenderer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API in-process on 127.0.0.1:0 with a real lease table and inventory, and a fleet that saw nothing. */
class AdminServerTest {

    private static final String CONFIG = """
            network:
              interface: lab0
              address: 192.0.2.1/24
            dhcp:
              pools: [192.0.2.100-192.0.2.199]
              lease-time: 3600
            profiles:
              waf: {}
            vms:
              - mac: 02:00:00:00:00:01
                hostname: first
                ip: 192.0.2.10
            """;
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final FleetView NO_BOOTS = new FleetView() {
        @Override
        public List<VmTimeline> all() {
            return List.of();
        }

        @Override
        public Optional<VmTimeline> of(String mac) {
            return Optional.empty();
        }
    };

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private LeaseTable leases;
    private ProfileAssignments assignments;
    private AdminServer server;
    private String token;
    private Path configFile;

    @BeforeEach
    void start() throws Exception {
        configFile = dir.resolve("appliance.yaml");
        Files.writeString(configFile, CONFIG);
        startServer();
    }

    private void startServer() throws Exception {
        ApplianceConfig config = ConfigFile.load(configFile).config().withStateDir(dir.resolve("state"));
        Files.createDirectories(config.stateDir());
        leases = new LeaseTable(new LeaseJournal(config.stateDir()), clock);
        leases.open();
        assignments = ProfileAssignments.load(config.stateDir());
        InventoryChangesFile changesFile = new InventoryChangesFile(config.stateDir());
        EditedConfig base = new EditedConfig(Files.readString(configFile), config);
        var changes = changesFile.load();
        UserDataRenderer renderer = new UserDataRenderer();
        LiveInventory live = new LiveInventory(base.apply(changes), leases, assignments,
                new VmHostnames(renderer), renderer);
        InventoryEdits edits = new InventoryEdits(base, changes, changesFile, live);
        AddressPool pool = new AddressPool(ip("192.0.2.100"), ip("192.0.2.199"));
        ApplianceMetrics metrics = new ApplianceMetrics(new DhcpTrafficCounters(), leases,
                () -> List.of(pool), NO_BOOTS, clock);
        leases.addListener(metrics);
        AdminToken adminToken = AdminToken.loadOrCreate(dir.resolve("admin.token"));
        token = adminToken.value();
        server = new AdminServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), adminToken,
                new AdminRoutes(leases, edits, NO_BOOTS, new BootDiagnosis(mac -> Optional.empty()), List::of,
                        metrics::scrape, clock));
        server.bind();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        assignments.close();
        leases.close();
    }

    @Test
    void refusesRequestsWithoutTheToken() throws Exception {
        HttpResponse<String> none = http.send(bare("/api/v1/vms").GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = http.send(bare("/api/v1/vms").header("Authorization", "Bearer nope").GET()
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json.readTree(none.body()).get("error").asText()).contains("bearer token");
    }

    @Test
    void servesTheFleetPageWithoutTheTokenAndUncached() throws Exception {
        for (String[] asset : new String[][] {{"/", "text/html", "<script src=\"/app.js\""},
                {"/app.js", "text/javascript", "/api/v1/fleet"}, {"/app.css", "text/css", ".straggler"}}) {
            HttpResponse<String> response = http.send(bare(asset[0]).GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(asset[0]).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(asset[0]).hasValueSatisfying(
                    type -> assertThat(type).startsWith(asset[1]));
            assertThat(response.headers().firstValue("Cache-Control")).as(asset[0]).hasValue("no-store");
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(asset[0])
                    .hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'self';"));
            assertThat(response.body()).as(asset[0]).contains(asset[2]);
        }
    }

    @Test
    void onlyAGetOfExactlyThePageFilesSkipsTheToken() throws Exception {
        for (String path : new String[] {"/index.html", "/app.js/", "/admin-ui/app.js", "/api/v1/fleet", "/metrics"}) {
            HttpResponse<String> response = http.send(bare(path).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> post = http.send(bare("/").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(401);
    }

    @Test
    void apiAnswersAreNeverCachedEither() throws Exception {
        HttpResponse<String> fleet = http.send(request("/api/v1/fleet").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(fleet.statusCode()).isEqualTo(200);
        assertThat(fleet.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void createsTheTokenFileReadableByItsOwnerOnly() throws Exception {
        assertThat(Files.getPosixFilePermissions(dir.resolve("admin.token")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(token).hasSize(64);
    }

    @Test
    void listsTheConfigsVms() throws Exception {
        JsonNode vms = get("/api/v1/vms");

        assertThat(vms).hasSize(1);
        assertThat(vms.get(0).get("mac").asText()).isEqualTo("02:00:00:00:00:01");
        assertThat(vms.get(0).get("ip").asText()).isEqualTo("192.0.2.10");
        assertThat(get("/api/v1/profiles").get(0).get("name").asText()).isEqualTo("waf");
    }

    @Test
    void putVmIsValidatedAsTheConfigWouldBeAndNamesTheField() throws Exception {
        HttpResponse<String> outsidePool = put("02:00:00:00:00:02", "{\"ip\": \"192.0.2.150\"}");
        HttpResponse<String> unknownKey = put("02:00:00:00:00:02", "{\"ipaddr\": \"192.0.2.20\"}");
        HttpResponse<String> wrongType = put("02:00:00:00:00:02", "{\"ip\": 5}");
        HttpResponse<String> taken = put("02:00:00:00:00:02", "{\"ip\": \"192.0.2.10\"}");

        assertThat(outsidePool.statusCode()).isEqualTo(400);
        assertThat(field(outsidePool)).isEqualTo("ip");
        assertThat(message(outsidePool)).contains("inside the pool");
        assertThat(unknownKey.statusCode()).isEqualTo(400);
        assertThat(message(unknownKey)).contains("ipaddr");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(field(wrongType)).isEqualTo("ip");
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(field(taken)).isEqualTo("ip");
        assertThat(get("/api/v1/vms")).hasSize(1);
    }

    @Test
    void malformedJsonIsA400() throws Exception {
        HttpResponse<String> broken = put("02:00:00:00:00:02", "{\"ip\": ");
        HttpResponse<String> notObject = put("02:00:00:00:00:02", "[1]");

        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json.readTree(broken.body()).get("error").asText()).startsWith("malformed JSON");
        assertThat(notObject.statusCode()).isEqualTo(400);
    }

    @Test
    void vmEditsSurviveARestart() throws Exception {
        HttpResponse<String> added = put("02:00:00:00:00:02", "{\"hostname\": \"second\", \"ip\": \"192.0.2.20\"}");
        HttpResponse<String> removed = http.send(request("/api/v1/vms/02:00:00:00:00:01").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        stop();
        startServer();

        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(removed.statusCode()).isEqualTo(204);
        JsonNode vms = get("/api/v1/vms");
        assertThat(vms).hasSize(1);
        assertThat(vms.get(0).get("mac").asText()).isEqualTo("02:00:00:00:00:02");
        assertThat(vms.get(0).get("hostname").asText()).isEqualTo("second");
    }

    @Test
    void revokesALease() throws Exception {
        leases.commit(new Lease(ip("192.0.2.100"), MacAddress.parse("02:00:00:00:00:09"), "", "", "waf", NOW,
                NOW.plusSeconds(3600), LeaseState.ACTIVE)).get();

        HttpResponse<String> revoked = http.send(request("/api/v1/leases/192.0.2.100").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unknown = http.send(request("/api/v1/leases/192.0.2.101").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(leases.byIp(ip("192.0.2.100")).orElseThrow().state()).isEqualTo(LeaseState.RELEASED);
        assertThat(get("/api/v1/leases").get(0).get("state").asText()).isEqualTo("released");
        assertThat(get("/api/v1/leases").get(0).get("profile").asText()).isEqualTo("waf");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void metricsHaveEveryFamily() throws Exception {
        // Listeners run in order on the table's listener thread, possibly after the commit completed: once this one,
        // added after the metrics, has heard the change, the metrics have counted it.
        CountDownLatch counted = new CountDownLatch(1);
        leases.addListener((before, after) -> counted.countDown());
        leases.commit(new Lease(ip("192.0.2.100"), MacAddress.parse("02:00:00:00:00:09"), "", "", "waf", NOW,
                NOW.plusSeconds(3600), LeaseState.ACTIVE)).get();
        assertThat(counted.await(30, TimeUnit.SECONDS)).as("listeners told of the commit").isTrue();

        HttpResponse<String> metrics = http.send(request("/metrics").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("dhcp_packets_received_total{type=\"discover\"} 0",
                "dhcp_packets_sent_total", "dhcp_packets_dropped_total", "dhcp_lease_commits_total{state=\"active\"} 1",
                "dhcp_leases_active{pool=\"192.0.2.100-192.0.2.199\"} 1",
                "dhcp_pool_free_addresses{pool=\"192.0.2.100-192.0.2.199\"} 99", "fleet_vms{phase=\"finished\"} 0");
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> put(String mac, String body) throws Exception {
        return http.send(request("/api/v1/vms/" + mac).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return bare(path).header("Authorization", "Bearer " + token);
    }

    private HttpRequest.Builder bare(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.localAddress().getPort() + path));
    }

    private String field(HttpResponse<String> response) throws Exception {
        return json.readTree(response.body()).get("problems").get(0).get("field").asText();
    }

    private String message(HttpResponse<String> response) throws Exception {
        return json.readTree(response.body()).get("problems").get(0).get("message").asText();
    }

    private static java.net.Inet4Address ip(String text) throws Exception {
        return (java.net.Inet4Address) InetAddress.getByName(text);
    }
}
