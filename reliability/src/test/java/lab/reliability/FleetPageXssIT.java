package lab.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.UdhcpcDriver;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Text a VM controls never becomes markup on the fleet page. Three lab VMs put script payloads into everything they
 * send the appliance: the hostname of DHCP option 12 (udhcpc {@code -x hostname:}), a metadata path that fails, a
 * password-server verb, the phone_home form's fields and the reporting webhook's event names and descriptions. Then
 * headless Chromium (fleet-page-probe.py, over the DevTools protocol) opens the real page with its
 * Content-Security-Policy switched off, so only escaping stands between a payload and its marker, and opens both
 * VMs' timelines. No marker fired, no element or inline handler of a payload exists, and every payload the page
 * shows is there as text. A control payload put in with innerHTML does fire, so the check can see a failure.
 */
@Tag("netns")
class FleetPageXssIT {

    private static final String SERVER = "10.20.0.1";
    private static final String PAGE = "http://" + SERVER + ":8807/";
    private static final String CONFIGURED_VM = "02:00:00:aa:00:01";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration PROBE_DEADLINE = Duration.ofSeconds(150);

    /** Each payload pushes its own marker to window.__fired if it ever runs. */
    private static String script(String marker) {
        return "<script>__fired.push('" + marker + "')</script>";
    }

    private static String attributeBreakout(String marker) {
        return "\"><img src=x onerror=\"__fired.push('" + marker + "')\">";
    }

    private static String singleQuoteBreakout(String marker) {
        return "'><svg onload=__fired.push('" + marker + "')>";
    }

    /** The same without blanks, which HTML does not need ("/" separates attributes) and busybox cuts option 12 at. */
    private static String blanklessBreakout(String marker) {
        return "\"><img/src=x/onerror=__fired.push('" + marker + "')>";
    }

    /** Option 12 of clients 0, 1 and 2. */
    private static final List<String> HOSTNAMES = List.of(script("dhcp-0"), blanklessBreakout("dhcp-1"),
        "'><svg/onload=__fired.push('dhcp-2')>");
    private static final String METADATA_PATH = "<img src=x onerror=__fired.push('path')>";
    private static final String PASSWORD_VERB = "<svg onload=__fired.push('verb')>";
    private static final String PHONE_HOME_ID = attributeBreakout("phone-home-id");
    private static final String PHONE_HOME_HOST = script("phone-home-host");
    private static final String FAILED_STAGE = attributeBreakout("event-name");
    private static final String LAST_STAGE = singleQuoteBreakout("event-start");
    private static final String EVENT_DESCRIPTION = script("event-description");
    private static final String CONTROL = "<img src=x onerror=\"__fired.push('control')\">";

    /** Clients 0 and 1: pool VMs (1 reports a failed boot); client 2: the configured VM, which phones home. */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(2).plusClient(CONFIGURED_VM);

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void noVmSentTextRunsOnTheFleetPageAndAllOfItShowsAsText() throws Exception {
        Path chromium = onPath("chromium");
        Assumptions.assumeTrue(chromium != null, "FleetPageXssIT needs Debian's chromium (scripts/install-deps.sh)");
        long started = System.nanoTime();
        Path stateDir = LAB.newDirectory("state");
        LAB.startServer(ApplianceServer.fromSystemProperty(), NetnsLab.resource("fleet-xss.yaml"), stateDir);
        for (int i = 0; i < HOSTNAMES.size(); i++) {
            ClientHost vm = LAB.client(i);
            vm.flushAddresses();
            UdhcpcDriver.sendingHostname(vm, LAB.newDirectory("udhcpc"), HOSTNAMES.get(i)).obtain();
        }
        ClientHost failing = LAB.client(1);
        ClientHost configured = LAB.client(2);

        assertThat(request(configured, "GET", "http://" + SERVER + "/latest/meta-data/"
            + URLEncoder.encode(METADATA_PATH, StandardCharsets.UTF_8).replace("+", "%20"), Map.of(), ""))
            .isEqualTo(404);
        assertThat(request(configured, "GET", "http://" + SERVER + ":8080/", Map.of("DomU_Request", PASSWORD_VERB),
            "")).isEqualTo(400);
        assertThat(request(configured, "POST", "http://" + SERVER + "/phone-home/i-waf-edge-1",
            Map.of("Content-Type", "application/x-www-form-urlencoded"), "instance_id=" + form(PHONE_HOME_ID)
                + "&hostname=" + form(PHONE_HOME_HOST) + "&fqdn=" + form(PHONE_HOME_HOST))).isEqualTo(200);
        assertThat(request(failing, "POST", "http://" + SERVER + "/cloud-init/events", Map.of(),
            event(FAILED_STAGE, "finish", "FAIL"))).isEqualTo(200);
        assertThat(request(failing, "POST", "http://" + SERVER + "/cloud-init/events", Map.of(),
            event("modules-final", "finish", "FAIL"))).isEqualTo(200);
        assertThat(request(failing, "POST", "http://" + SERVER + "/cloud-init/events", Map.of(),
            event(LAST_STAGE, "start", null))).isEqualTo(200);

        String token = Files.readString(stateDir.resolve("admin.token")).strip();
        ClientHost browserHost = LAB.client(0);
        await().atMost(DEADLINE).until(() -> {
            JsonNode fleet = api(browserHost, token, "fleet");
            return fleet.path("total").asInt() == 3 && phaseOf(fleet, failing.mac().toString()).equals("failed")
                && lastEventOf(fleet, CONFIGURED_VM).equals("phone_home");
        });
        // The pool VMs' option 12 names reached the appliance unchanged: the leases API has them (a configured
        // hostname wins over the sent one). The page does not show them today; were it to, the DOM checks below
        // would catch markup made of them.
        List<String> leaseHostnames = new ArrayList<>();
        api(browserHost, token, "leases").forEach(lease -> leaseHostnames.add(lease.path("hostname").asText()));
        assertThat(leaseHostnames).containsExactlyInAnyOrder(HOSTNAMES.get(0), HOSTNAMES.get(1), "waf-edge-1");

        JsonNode page = probe(chromium, browserHost, PAGE + "#token=" + token, 3,
            List.of(CONFIGURED_VM, failing.mac().toString()));

        assertThat(page.path("fired")).as("markers of payloads that ran").isEmpty();
        assertThat(page.path("title").asText()).isEqualTo("Appliance fleet");
        assertThat(page.path("handlers")).as("inline event handlers in the DOM").isEmpty();
        Map<String, Integer> tags = new LinkedHashMap<>();
        page.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asInt()));
        assertThat(tags).as("elements a payload would add").doesNotContainKeys("img", "svg", "iframe", "object");
        assertThat(tags).containsEntry("script", 1);
        assertThat(page.path("scripts").get(0).asText()).isEqualTo(PAGE + "app.js");

        String configuredTimeline = page.path("timelines").path(CONFIGURED_VM).asText();
        String failedTimeline = page.path("timelines").path(failing.mac().toString()).asText();
        List<String> titles = new ArrayList<>();
        page.path("titles").forEach(t -> titles.add(t.asText()));
        assertThat(configuredTimeline).as("timeline of %s", CONFIGURED_VM)
            .contains(PHONE_HOME_ID, "/latest/meta-data/" + METADATA_PATH, PASSWORD_VERB);
        // The diagnosis names the failed stage by its first word (cloud-init's stage names have no blanks).
        String diagnosed = "cloud-init reported FAIL in " + FAILED_STAGE.split(" ")[0];
        assertThat(failedTimeline).as("timeline of the failed VM").contains(FAILED_STAGE + " finish FAIL",
            LAST_STAGE + " start", diagnosed);
        assertThat(titles).as("title attributes: last event details and diagnoses")
            .contains(PHONE_HOME_ID, LAST_STAGE + " start")
            .anySatisfy(title -> assertThat(title).contains(diagnosed));
        assertThat(page.path("control_fired")).as("the control payload, put in with innerHTML")
            .extracting(JsonNode::asText).containsExactly("control");

        List<String> payloads = Stream.concat(HOSTNAMES.stream(), Stream.of(METADATA_PATH, PASSWORD_VERB,
            PHONE_HOME_ID, PHONE_HOME_HOST, FAILED_STAGE, LAST_STAGE, EVENT_DESCRIPTION)).toList();
        long shown = Stream.of(PHONE_HOME_ID, METADATA_PATH, PASSWORD_VERB, FAILED_STAGE, LAST_STAGE)
            .filter(p -> (configuredTimeline + failedTimeline).contains(p)).count();
        System.out.printf("FleetPageXssIT: payloads sent %d (option 12 x%d, metadata path, password verb, phone_home "
                + "x2 fields, webhook name x2, description); shown on the page as text %d; markers fired 0 of %d; "
                + "payload elements 0, inline handlers 0; control fired 1 of 1; %.1f s%n", payloads.size(),
            HOSTNAMES.size(), shown, payloads.size(), (System.nanoTime() - started) / 1e9);
    }

    /** One reporting-webhook event, as cloud-init posts it (no Content-Type). */
    private String event(String name, String type, String result) throws IOException {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("name", name);
        event.put("description", EVENT_DESCRIPTION);
        event.put("event_type", type);
        event.put("origin", "cloudinit");
        event.put("timestamp", 1764072000.5);
        if (result != null) {
            event.put("result", result);
        }
        return json.writeValueAsString(event);
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** An HTTP request from inside {@code vm}'s namespace with Python's urllib; returns the status. */
    private static int request(ClientHost vm, String method, String url, Map<String, String> headers, String body)
        throws IOException {
        String script = "import json, sys, urllib.error, urllib.request\n"
            + "data = sys.argv[4].encode() if sys.argv[2] == 'POST' else None\n"
            + "req = urllib.request.Request(sys.argv[1], data=data, method=sys.argv[2], headers=json.loads(sys.argv[3]))\n"
            + "try:\n"
            + "    print(urllib.request.urlopen(req, timeout=10).status)\n"
            + "except urllib.error.HTTPError as e:\n"
            + "    print(e.code)\n";
        CommandResult done = vm.namespace().exec(DEADLINE, "/usr/bin/python3", "-c", script, url, method,
            new ObjectMapper().writeValueAsString(headers), body).requireSuccess();
        return Integer.parseInt(done.output().strip());
    }

    /** GET /api/v1/{@code resource} from inside {@code host}'s namespace (the admin API listens on the lab address). */
    private JsonNode api(ClientHost host, String token, String resource) throws IOException {
        String script = "import sys, urllib.request\n"
            + "req = urllib.request.Request(sys.argv[1], headers={'Authorization': 'Bearer ' + sys.argv[2]})\n"
            + "print(urllib.request.urlopen(req, timeout=10).read().decode())\n";
        CommandResult got = host.namespace().exec(DEADLINE, "/usr/bin/python3", "-c", script,
            PAGE + "api/v1/" + resource, token).requireSuccess();
        return json.readTree(got.output());
    }

    private JsonNode probe(Path chromium, ClientHost host, String url, int rows, List<String> open)
        throws IOException {
        Path profile = LAB.newDirectory("chromium");
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3",
            NetnsLab.resource("fleet-page-probe.py").toString(), "--chromium", chromium.toString(), "--url", url,
            "--profile", profile.toString(), "--rows", Integer.toString(rows), "--control", CONTROL));
        open.forEach(mac -> command.addAll(List.of("--open", mac)));
        CommandResult run = host.namespace().exec(PROBE_DEADLINE, command);
        Path log = profile.resolve("chromium.log");
        assertThat(run.succeeded()).as("%s%nchromium log:%n%s", run.describe(),
            Files.exists(log) ? Files.readString(log) : "(none)").isTrue();
        String last = run.output().lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b).orElse("");
        return json.readTree(last);
    }

    private static String phaseOf(JsonNode fleet, String mac) {
        return vm(fleet, mac).path("phase").asText();
    }

    private static String lastEventOf(JsonNode fleet, String mac) {
        return vm(fleet, mac).path("last-event").asText();
    }

    private static JsonNode vm(JsonNode fleet, String mac) {
        for (JsonNode vm : fleet.path("vms")) {
            if (vm.path("mac").asText().equals(mac)) {
                return vm;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static Path onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty())
            .map(dir -> Path.of(dir, program))
            .filter(Files::isExecutable)
            .findFirst().orElse(null);
    }
}
