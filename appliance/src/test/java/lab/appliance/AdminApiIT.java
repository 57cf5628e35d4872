package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lab.appliance.netns.AdminApiCalls;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.LeaseJournalFile;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.UdhcpcDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin API of the appliance process, called from the server namespace with curl and with the appliance's own
 * CLI: the token is required, a VM record PUT through the API becomes a reservation a real udhcpc gets, a revoked
 * lease is released in the journal, bad input gets a 400 naming its field. Reloads: a broken config file is refused
 * with every problem located while DHCP keeps serving; a valid one (through the API, then through SIGHUP) makes its
 * new VM's reservation the address handed out.
 */
@Tag("netns")
class AdminApiIT {

    private static final String ADMIN = "http://10.20.0.1:8807";
    private static final String API_VM = "02:00:00:cc:00:01";
    private static final String API_VM_IP = "10.20.0.50";
    private static final String RELOADED_VM = "02:00:00:cc:00:02";
    private static final String RELOADED_VM_IP = "10.20.0.60";
    private static final String HUP_VM = "02:00:00:cc:00:03";
    private static final String HUP_VM_IP = "10.20.0.61";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** Client 0 is a pool client; then one client per VM record the tests add. */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(1).plusClient(API_VM).plusClient(RELOADED_VM)
            .plusClient(HUP_VM);

    private Path stateDir;
    private Path config;
    private BackgroundProcess appliance;
    private AdminApiCalls admin;

    @AfterEach
    void stopAppliance() {
        // Port 67 and the admin port are the namespace's: each test's appliance goes before the next starts.
        LAB.stopProcesses();
    }

    @Test
    void apiNeedsTheTokenAndEditsReservationsAndLeases() throws IOException {
        start();

        AdminApiCalls.Response anonymous = admin.call("GET", "/api/v1/leases", null, false);
        assertThat(anonymous.status()).as(anonymous.body()).isEqualTo(401);

        AdminApiCalls.Response put = admin.call("PUT", "/api/v1/vms/" + API_VM,
                "{\"ip\": \"" + API_VM_IP + "\", \"hostname\": \"api-vm\"}", true);
        assertThat(put.status()).as(put.body()).isEqualTo(201);
        assertThat(udhcpc(1).obtain().address()).isEqualTo(API_VM_IP);

        AdminApiCalls.Response revoked = admin.call("DELETE", "/api/v1/leases/" + API_VM_IP, null, true);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().path("state").asText()).isEqualTo("released");
        JsonNode leases = admin.get("/api/v1/leases");
        assertThat(leases.findValuesAsText("ip")).contains(API_VM_IP);
        for (JsonNode lease : leases) {
            if (lease.path("ip").asText().equals(API_VM_IP)) {
                assertThat(lease.path("state").asText()).as(lease.toString()).isNotEqualTo("active");
            }
        }
        assertThat(new LeaseJournalFile(stateDir).has(API_VM_IP, API_VM, "RELEASED")).isTrue();

        AdminApiCalls.Response syntax = admin.call("PUT", "/api/v1/vms/02:00:00:cc:00:09", "{\"ip\": ", true);
        assertThat(syntax.status()).as(syntax.body()).isEqualTo(400);
        assertThat(syntax.json().path("error").asText()).startsWith("malformed JSON").contains("line 1");
        AdminApiCalls.Response badField = admin.call("PUT", "/api/v1/vms/02:00:00:cc:00:09", "{\"ip\": \"10.20.0.300\"}", true);
        assertThat(badField.status()).as(badField.body()).isEqualTo(400);
        assertThat(badField.json().path("problems").findValuesAsText("field")).anyMatch(f -> f.endsWith("ip"));
        AdminApiCalls.Response unknownKey = admin.call("PUT", "/api/v1/vms/02:00:00:cc:00:09", "{\"adress\": \"10.20.0.70\"}", true);
        assertThat(unknownKey.status()).as(unknownKey.body()).isEqualTo(400);
        assertThat(unknownKey.body()).contains("adress");

        AdminApiCalls.Response metrics = admin.call("GET", "/metrics", null, true);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("dhcp_lease_commit_fsync_seconds_count 2");

        assertThat(cli("vms", "list")).contains(API_VM, API_VM_IP, "api-vm");
        assertThat(cli("leases")).contains(API_VM_IP);
        assertThat(cli("fleet")).contains(API_VM);
    }

    @Test
    void reloadRefusesABrokenFileKeepsServingAndAppliesAValidOne() throws IOException {
        start();

        writeConfig("  lease-tme: 2h\n  offer-hld: 30s\n", "");
        AdminApiCalls.Response refused = admin.call("POST", "/api/v1/reload", null, true);
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        List<String> problems = refused.json().path("problems").findValuesAsText("message");
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith(config + ":7:").matches("(?s)\\S+:\\d+:\\d+: .*lease-tme.*");
        assertThat(problems.get(1)).startsWith(config + ":8:").matches("(?s)\\S+:\\d+:\\d+: .*offer-hld.*");
        assertThat(udhcpc(0).obtain().address()).as("a pool client still gets a lease").startsWith("10.20.");

        writeConfig("", vm(RELOADED_VM, RELOADED_VM_IP));
        AdminApiCalls.Response reloaded = admin.call("POST", "/api/v1/reload", null, true);
        assertThat(reloaded.status()).as(reloaded.body()).isEqualTo(200);
        assertThat(udhcpc(2).obtain().address()).isEqualTo(RELOADED_VM_IP);

        writeConfig("", vm(RELOADED_VM, RELOADED_VM_IP) + vm(HUP_VM, HUP_VM_IP));
        appliance.signal("HUP");
        await("second 'config reloaded' line").atMost(DEADLINE)
                .until(() -> appliance.output().split("config reloaded file=", -1).length - 1 == 2);
        assertThat(udhcpc(3).obtain().address()).isEqualTo(HUP_VM_IP);
    }

    /** Writes a config without VM records to a fresh directory and starts the jar on it with a fresh state dir. */
    private void start() throws IOException {
        stateDir = LAB.newDirectory("state");
        config = LAB.newDirectory("config").resolve("appliance.yaml");
        writeConfig("", "");
        appliance = LAB.startServer(ApplianceServer.fromSystemProperty(), config, stateDir);
        admin = new AdminApiCalls(LAB.server(), ADMIN, stateDir.resolve("admin.token"));
    }

    /** Rewrites the config: {@code dhcpExtra} lines go into {@code dhcp:}, {@code vms} are {@code vms:} items. */
    private void writeConfig(String dhcpExtra, String vms) {
        String text = "network:\n  interface: lab0\n  address: 10.20.0.1/16\n"
                + "dhcp:\n  pools: [10.20.1.1-10.20.3.254]\n  lease-time: 1h\n" + dhcpExtra
                + "metadata: {link-local: false, password-server: false}\n"
                // The CLI reads the token where the config says; the appliance, given --state-dir, keeps it there.
                + "admin:\n  listen: 10.20.0.1:8807\n  token-file: " + stateDir.resolve("admin.token") + "\n"
                + "state-dir: " + stateDir + "\n"
                + (vms.isEmpty() ? "" : "vms:\n" + vms);
        try {
            Files.writeString(config, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    private static String vm(String mac, String ip) {
        return "  - mac: " + mac + "\n    ip: " + ip + "\n";
    }

    private UdhcpcDriver udhcpc(int client) {
        ClientHost host = LAB.client(client);
        host.flushAddresses();
        return UdhcpcDriver.on(host, LAB.newDirectory("udhcpc"));
    }

    /** The appliance CLI run from the server namespace against the running appliance; fails unless it exits 0. */
    private String cli(String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", Path.of(System.getProperty("appliance.jar")).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", config.toString()));
        return LAB.server().exec(DEADLINE, command).requireSuccess().output();
    }
}
