package lab.appliance.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
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
import lab.config.ConfigException;
import lab.config.model.ApplianceConfig;
import lab.dhcp.lease.LeaseJournal;
import lab.dhcp.lease.LeaseTable;
import lab.metadata.http.GuardedServerContract;
import lab.metadata.http.HostileRequests;
import lab.metadata.http.HttpLimits;
import lab.metadata.http.HttpRefusalCounters;
import lab.metadata.http.RawHttpClient;
import lab.metadata.userdata.UserDataRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API against the hostile-input contract, with its production limits: refusals come before the token
 * check and are worded as the API's JSON errors, with its usual headers.
 */
class AdminServerGuardTest extends GuardedServerContract {

    private static final String CONFIG = """
            network:
              interface: lab0
              address: 192.0.2.1/24
            dhcp:
              pools: [192.0.2.100-192.0.2.199]
              lease-time: 3600
            """;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private LeaseTable leases;
    private ProfileAssignments assignments;
    private InventoryEdits edits;
    private AdminServer server;

    @Override
    protected InetSocketAddress start(HttpLimits limits) throws IOException {
        Path configFile = dir.resolve("appliance.yaml");
        Files.writeString(configFile, CONFIG);
        try {
            ApplianceConfig config = ConfigFile.load(configFile).config().withStateDir(dir.resolve("state"));
            Files.createDirectories(config.stateDir());
            leases = new LeaseTable(new LeaseJournal(config.stateDir()), CLOCK);
            leases.open();
            assignments = ProfileAssignments.load(config.stateDir());
            InventoryChangesFile changesFile = new InventoryChangesFile(config.stateDir());
            EditedConfig base = new EditedConfig(Files.readString(configFile), config);
            var changes = changesFile.load();
            UserDataRenderer renderer = new UserDataRenderer();
            LiveInventory live = new LiveInventory(base.apply(changes), leases, assignments,
                    new VmHostnames(renderer), renderer);
            edits = new InventoryEdits(base, changes, changesFile, live);
        } catch (ConfigException e) {
            throw new IllegalStateException("the test's own config is valid", e);
        }
        server = new AdminServer(new InetSocketAddress(LOOPBACK, 0), AdminToken.loadOrCreate(dir.resolve("token")),
                new AdminRoutes(leases, edits, NO_BOOTS, new BootDiagnosis(mac -> Optional.empty()), List::of,
                        () -> "", CLOCK), limits);
        server.bind();
        return server.localAddress();
    }

    @Override
    protected HttpLimits productionLimits() {
        return AdminServer.LIMITS;
    }

    @Override
    protected HttpRefusalCounters refusals() {
        return server.refusals();
    }

    @Override
    protected void stop() {
        if (server != null) {
            server.close();
            assignments.close();
            try {
                leases.close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing the test's lease table", e);
            }
        }
    }

    @Override
    protected String wellFormedRequest() {
        return "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    @Override
    protected String bodyPath() {
        return "/api/v1/vms/02:00:00:00:00:02";
    }

    @Override
    protected void assertServersFormat(RawHttpClient.Exchange refusal) {
        String text = refusal.text();
        assertThat(text).contains("\r\ncontent-type: application/json\r\n", "\r\ncache-control: no-store\r\n",
                "\r\ncontent-security-policy: default-src 'self';");
        JsonNode body;
        try {
            body = JSON.readTree(text.substring(text.indexOf("\r\n\r\n") + 4));
        } catch (IOException e) {
            throw new UncheckedIOException("refusal body is not JSON: " + text, e);
        }
        assertThat(body.path("status").asInt()).isEqualTo(refusal.status());
        assertThat(body.path("error").asText()).isNotBlank();
    }

    @Test
    void aBrokenEscapeInThePathIsAJson400NotADroppedConnection() throws IOException {
        InetSocketAddress address = start(AdminServer.LIMITS);

        RawHttpClient.Exchange answer = RawHttpClient.exchange(address, LOOPBACK,
                "GET /api/v1/vms/%zz HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(answer.status()).isEqualTo(400);
        assertServersFormat(answer);
        assertThat(answer.closed()).isTrue();
    }

    @Test
    void refusalComesBeforeTheTokenCheck() throws IOException {
        InetSocketAddress address = start(AdminServer.LIMITS);

        RawHttpClient.Exchange answer = RawHttpClient.exchange(address, LOOPBACK,
                HostileRequests.hugeHeaders(64 * 1024).replace("GET /", "GET /api/v1/vms"));

        assertThat(answer.status()).isEqualTo(431);
    }
}
