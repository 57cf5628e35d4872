package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.DhcpClientKind;
import lab.appliance.netns.NetnsLab;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fleet page in a real headless browser: three lab VMs take leases with udhcpc, one phones home, then Debian's
 * chromium, run inside a VM namespace, opens {@code http://10.20.0.1:8807/#token=…}. The counts per phase it
 * renders equal those of GET /api/v1/fleet, and a screenshot goes to {@code target/fleet-page.png} for humans.
 */
@Tag("netns")
class FleetPageIT {

    private static final String SERVER = "10.20.0.1";
    private static final String PAGE = "http://" + SERVER + ":8807/";
    private static final String FINISHED_VM = "02:00:00:aa:00:01";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration BROWSER_DEADLINE = Duration.ofSeconds(120);
    private static final Pattern PHASE_COUNT = Pattern.compile("id=\"phase-count-([a-z-]+)\"[^>]*>(\\d+)<");
    private static final Pattern VM_ROW = Pattern.compile("<tr data-mac=\"([0-9a-f:]+)\" data-phase=\"([a-z-]+)\"");

    /** Clients 0 and 1: pool MACs that only take a lease; client 2: waf-edge-1, which phones home. */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(2).plusClient(FINISHED_VM);

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void pageShowsTheCountsTheApiReports() throws Exception {
        Path chromium = onPath("chromium");
        Assumptions.assumeTrue(chromium != null, "FleetPageIT needs Debian's chromium (apt-get install chromium)");
        Path stateDir = LAB.newDirectory("state");
        LAB.startServer(ApplianceServer.fromSystemProperty(), NetnsLab.resource("fleet-page.yaml"), stateDir);
        for (ClientHost vm : LAB.clients()) {
            vm.flushAddresses();
            DhcpClientKind.UDHCPC.driverFor(vm, LAB.newDirectory("udhcpc")).obtain();
        }
        post(LAB.client(2), "http://" + SERVER + "/phone-home/i-waf-edge-1", "application/x-www-form-urlencoded",
            "instance_id=i-waf-edge-1&hostname=waf-edge-1&fqdn=waf-edge-1.lab.example.org");
        String token = Files.readString(stateDir.resolve("admin.token")).strip();
        ClientHost browserHost = LAB.client(0);
        await().atMost(DEADLINE).until(() -> {
            Map<String, Long> phases = phasesOf(fleet(browserHost, token));
            return phases.get("finished") == 1 && phases.get("leased") == 2;
        });

        String dom = chromium(chromium, browserHost, "--dump-dom", PAGE + "#token=" + token);
        JsonNode fleet = fleet(browserHost, token);

        Map<String, Long> shown = new LinkedHashMap<>();
        Matcher count = PHASE_COUNT.matcher(dom);
        while (count.find()) {
            shown.put(count.group(1), Long.parseLong(count.group(2)));
        }
        assertThat(shown).as("counts on the page (DOM:%n%s)", dom).isEqualTo(phasesOf(fleet));
        assertThat(rows(dom)).as("VM rows").containsExactlyInAnyOrderEntriesOf(rows(fleet));
        assertThat(dom).contains("waf-edge-1", "<main id=\"fleet\">", "<form id=\"login\" hidden=\"\">")
            .doesNotContain("token=" + token);

        Path screenshot = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
            .resolve("target").resolve("fleet-page.png");
        Files.deleteIfExists(screenshot);
        chromium(chromium, browserHost, "--screenshot=" + screenshot, PAGE + "#token=" + token);
        assertThat(screenshot).isNotEmptyFile();
    }

    /**
     * Runs chromium headless in {@code host}'s namespace; returns its standard output (its log goes to a file, so the
     * output is only what {@code --dump-dom} prints). Virtual time lets the page poll a few times before it is read.
     */
    private static String chromium(Path chromium, ClientHost host, String... args) {
        Path profile = LAB.newDirectory("chromium");
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" 2>\"$0\"",
            profile.resolve("chromium.log").toString(), chromium.toString(), "--headless", "--no-sandbox",
            "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.resolve("profile"),
            "--window-size=1280,900", "--virtual-time-budget=5000"));
        command.addAll(List.of(args));
        CommandResult run = host.namespace().exec(BROWSER_DEADLINE, command);
        assertThat(run.succeeded()).as("%s%nchromium log:%n%s", run.describe(), read(profile.resolve("chromium.log")))
            .isTrue();
        return run.output();
    }

    /** GET /api/v1/fleet from inside {@code host}'s namespace (the admin API listens on the lab address only). */
    private JsonNode fleet(ClientHost host, String token) throws IOException {
        String script = "import sys, urllib.request\n"
            + "req = urllib.request.Request(sys.argv[1], headers={'Authorization': 'Bearer ' + sys.argv[2]})\n"
            + "print(urllib.request.urlopen(req, timeout=10).read().decode())\n";
        CommandResult got = host.namespace().exec(DEADLINE, "/usr/bin/python3", "-c", script,
            PAGE + "api/v1/fleet", token).requireSuccess();
        return json.readTree(got.output());
    }

    private static Map<String, Long> phasesOf(JsonNode fleet) {
        Map<String, Long> phases = new LinkedHashMap<>();
        fleet.path("phases").fields().forEachRemaining(e -> phases.put(e.getKey(), e.getValue().asLong()));
        return phases;
    }

    private static Map<String, String> rows(String dom) {
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher row = VM_ROW.matcher(dom);
        while (row.find()) {
            rows.put(row.group(1), row.group(2));
        }
        return rows;
    }

    private static Map<String, String> rows(JsonNode fleet) {
        Map<String, String> rows = new LinkedHashMap<>();
        fleet.path("vms").forEach(vm -> rows.put(vm.path("mac").asText(), vm.path("phase").asText()));
        return rows;
    }

    /** POSTs from inside the VM's namespace with Python's urllib, as cloud-init's phone_home does. */
    private static void post(ClientHost vm, String url, String contentType, String body) {
        String script = "import sys, urllib.request\n"
            + "req = urllib.request.Request(sys.argv[1], data=sys.argv[3].encode(), method='POST')\n"
            + "req.add_header('Content-Type', sys.argv[2])\n"
            + "print(urllib.request.urlopen(req, timeout=10).status)\n";
        CommandResult posted = vm.namespace().exec(DEADLINE, "/usr/bin/python3", "-c", script, url, contentType, body)
            .requireSuccess();
        assertThat(posted.output().strip()).as(posted.describe()).isEqualTo("200");
    }

    private static Path onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty())
            .map(dir -> Path.of(dir, program))
            .filter(Files::isExecutable)
            .findFirst().orElse(null);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(none)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
