package lab.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import lab.appliance.netns.AdminApiCalls;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.DhcpClientKind;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.ServerUnderTest;
import lab.appliance.netns.cloudinit.CloudInitCrawler;
import lab.appliance.netns.cloudinit.CloudInitResult;
import lab.appliance.netns.cloudinit.CloudInitTree;
import lab.appliance.netns.cloudinit.Datasource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The appliance's secrets reach only those meant to have them. A lab runs on {@code secrets-stay.yaml}, whose VM
 * passwords and user- and vendor-data carry distinctive markers, with DEBUG logging. Four VMs take leases; cloud-init's
 * own Ec2 and CloudStack crawlers run (password fetched and acknowledged), an AWS-platform VM crawls with IMDSv2
 * tokens, tokens are taken and used (and refused: another VM's, a wrong one); a VM phones home with a host key and
 * posts webhook events; every admin API route is called, good and bad, with a wrong token too; a record with a password
 * and user-data is PUT; the config is reloaded (valid, twice invalid, SIGHUP); the fleet page is rendered; the
 * appliance is killed with SIGKILL and restarted. Then every log line of both runs, every API answer, the metrics, the
 * page's DOM and the state files are searched for every secret.
 *
 * <p>Where a secret is meant to appear: a VM's own metadata answers (not searched: that is the service); the admin
 * token in its file; a record's user-data in the VM-record answers of the API, which give a record back so it can be
 * PUT again (profiles' user-data is shown only as present or not, passwords never); a record PUT through the API,
 * password and user-data, in {@code inventory-changes.json}, which is 0600. Also checked: the state directory, which
 * the appliance creates, is 0700 and every file in it 0600.
 */
@Tag("netns")
class SecretsStayIT {

    private static final String SERVER = "10.20.0.1";
    private static final String ADMIN = "http://" + SERVER + ":8807";
    private static final String VM1 = "02:00:00:aa:00:01";
    private static final String VM2 = "02:00:00:aa:00:02";
    private static final String AWS_VM = "02:00:00:bb:00:01";
    private static final String API_VM = "02:00:00:aa:00:09";
    private static final String REFUSED_VM = "02:00:00:aa:00:0a";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static final String VM1_PASSWORD = "PW-VM1-3e9a1c7f52d8";
    private static final String VM2_PASSWORD = "PW-VM2-81f4b0d6a2c3";
    private static final String API_PASSWORD = "PW-API-0d7e3b9a64f1";
    /** Underscores, not hyphens: a JSON parser quoting the bad token it met quotes all of it. */
    private static final String REFUSED_PASSWORD = "PW_REFUSED_5b8c1e2a7d04";
    private static final String RELOAD_PASSWORD = "PW-RELOAD-9f2a6c4e1b83";
    private static final String PROFILE_USER_DATA = "UD-PROFILE-7c1e5a0d93b2";
    private static final String PROFILE_VENDOR_DATA = "VD-PROFILE-2f8b6e41c5a9";
    private static final String AWS_USER_DATA = "UD-AWS-5d0c3f9e8a17";
    private static final String RECORD_USER_DATA = "UD-RECORD-4a6d2e8c0f15";
    private static final String API_USER_DATA = "UD-API-6e0b9d3c7a52";
    private static final String HOST_KEY = "AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyOfSecretsStayVm1x";
    private static final String WRONG_ADMIN_TOKEN = "0123456789abcdef-wrong-admin-token-7e5d";
    private static final String WRONG_IMDS_TOKEN = "wrong-imds-token-3c9f0a5e7b21d4";

    /** Client 0: a pool VM the operator's calls and the browser run from; then VM 1, VM 2 and the AWS VM. */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(1).plusClient(VM1).plusClient(VM2).plusClient(AWS_VM);

    private final ObjectMapper json = new ObjectMapper();
    private final SecretSweep sweep = new SecretSweep();
    private AdminApiCalls admin;
    private int calls;

    @Test
    void noSecretLeavesExceptToWhomItBelongs() throws Exception {
        long started = System.nanoTime();
        CloudInitCrawler crawler = new CloudInitCrawler(CloudInitTree.assumeAvailable(), SERVER);
        Path configDir = LAB.newDirectory("config");
        Path config = Files.copy(NetnsLab.resource("secrets-stay.yaml"), configDir.resolve("appliance.yaml"));
        Path stateDir = LAB.newDirectory("state").resolve("appliance");
        ServerUnderTest server = new DebugLogging(ApplianceServer.fromSystemProperty());
        BackgroundProcess first = LAB.startServer(server, config, stateDir);
        admin = new AdminApiCalls(LAB.client(0).namespace(), ADMIN, stateDir.resolve("admin.token"));
        ClientHost operator = LAB.client(0);
        ClientHost vm1 = LAB.client(1);
        ClientHost vm2 = LAB.client(2);
        ClientHost awsVm = LAB.client(3);
        for (ClientHost vm : LAB.clients()) {
            vm.flushAddresses();
            DhcpClientKind.DHCLIENT.driverFor(vm, LAB.newDirectory("dhclient")).obtain();
        }

        // The VMs get their own secrets, from cloud-init's own crawlers.
        CloudInitResult ec2 = crawler.crawl(vm1, Datasource.EC2, LAB.newDirectory("ec2"));
        assertThat(ec2.userData()).as("Ec2 crawl (log %s)", ec2.log()).hasValueSatisfying(
            u -> assertThat(u).contains(PROFILE_USER_DATA).doesNotContain(RECORD_USER_DATA, AWS_USER_DATA));
        CloudInitResult cloudStack = crawler.crawl(vm1, Datasource.CLOUDSTACK, LAB.newDirectory("cloudstack"));
        assertThat(cloudStack.password()).as("CloudStack crawl (log %s)", cloudStack.log()).hasValue(VM1_PASSWORD);
        CloudInitResult aws = crawler.crawlEc2AsAws(awsVm, LAB.newDirectory("aws"));
        assertThat(aws.userData()).as("AWS crawl (log %s)", aws.log()).hasValueSatisfying(
            u -> assertThat(u).contains(AWS_USER_DATA));

        // IMDSv2 tokens: taken, used, refused to another VM and when wrong.
        String awsToken = putToken(awsVm);
        String vm1Token = putToken(vm1);
        assertThat(metadata(awsVm, "/latest/meta-data/instance-id", awsToken).status()).isEqualTo(200);
        assertThat(metadata(vm1, "/latest/meta-data/instance-id", vm1Token).status()).isEqualTo(200);
        assertThat(metadata(vm1, "/latest/meta-data/instance-id", awsToken).status()).as("another VM's").isEqualTo(401);
        assertThat(metadata(awsVm, "/latest/meta-data/instance-id", WRONG_IMDS_TOKEN).status()).isEqualTo(401);
        assertThat(metadata(awsVm, "/latest/meta-data/instance-id", null).status()).as("required").isEqualTo(401);

        // VM 2 gets its own password and record user-data, nothing of VM 1's; then acknowledges the password.
        Answer vm2Password = http(vm2, "GET", "http://" + SERVER + ":8080/", Map.of("DomU_Request", "send_my_password"), "");
        assertThat(vm2Password.body().strip()).isEqualTo(VM2_PASSWORD);
        Answer vm2UserData = metadata(vm2, "/latest/user-data", null);
        assertThat(vm2UserData.body()).contains(RECORD_USER_DATA).doesNotContain(PROFILE_USER_DATA, VM1_PASSWORD);
        assertThat(http(vm2, "GET", "http://" + SERVER + ":8080/", Map.of("DomU_Request", "saved_password"), "")
            .body().strip()).isEqualTo("saved_password");

        // Boot reports: a phone_home with the VM's host key (never kept), webhook events.
        assertThat(http(vm1, "POST", "http://" + SERVER + "/phone-home/i-waf-edge-1",
            Map.of("Content-Type", "application/x-www-form-urlencoded"), "pub_key_ed25519=ssh-ed25519+" + HOST_KEY
                + "+root%40waf-edge-1&instance_id=i-waf-edge-1&hostname=waf-edge-1&fqdn=waf-edge-1.lab.internal")
            .status()).isEqualTo(200);
        assertThat(http(vm1, "POST", "http://" + SERVER + "/cloud-init/events", Map.of(), "{\"name\": "
            + "\"modules-final\", \"description\": \"running modules for final\", \"event_type\": \"finish\", "
            + "\"origin\": \"cloudinit\", \"timestamp\": 1764072000.5, \"result\": \"SUCCESS\"}").status())
            .isEqualTo(200);
        assertThat(http(awsVm, "POST", "http://" + SERVER + "/cloud-init/events", Map.of(), "not json").status())
            .isEqualTo(400);

        String token = Files.readString(stateDir.resolve("admin.token")).strip();
        exerciseAdminApi(operator, vm2);
        reload(first, config);
        sweep.place("page DOM", fleetPage(operator, token));

        // A crash and a restart on the same state: the password stays acknowledged, the API answers again.
        first.kill(Duration.ofSeconds(30));
        BackgroundProcess second = LAB.startServer(server, config, stateDir);
        assertThat(http(vm1, "GET", "http://" + SERVER + ":8080/", Map.of("DomU_Request", "send_my_password"), "")
            .body().strip()).as("acknowledged before the crash").isEqualTo("saved_password");
        for (String path : List.of("/api/v1/vms", "/api/v1/leases", "/api/v1/fleet", "/api/v1/profiles", "/metrics")) {
            call("GET", path, null, 200);
        }
        await().atMost(DEADLINE).until(() -> Files.exists(stateDir.resolve("leases.journal")));

        Map<String, String> modes = modes(stateDir);
        sweep.place("log of the first run", first.output());
        sweep.place("log of the run after SIGKILL", second.output());
        for (String name : modes.keySet()) {
            Path file = stateDir.resolve(name);
            if (Files.isRegularFile(file)) {
                sweep.place("file " + name, Files.readString(file, StandardCharsets.UTF_8));
            }
        }

        sweep.secret("VM 1's password", VM1_PASSWORD);
        sweep.secret("VM 2's password", VM2_PASSWORD);
        sweep.secret("password PUT through the API", API_PASSWORD, "file inventory-changes.json");
        // A malformed body's error names the token it could not read: back to the caller who sent it, nowhere else.
        sweep.secret("password in a refused PUT", REFUSED_PASSWORD, "api PUT /api/v1/vms/" + REFUSED_VM);
        sweep.secret("password in a refused reload", RELOAD_PASSWORD);
        sweep.secret("admin token", token, "file admin.token");
        sweep.secret("wrong admin token sent", WRONG_ADMIN_TOKEN);
        sweep.secret("IMDSv2 token of the AWS VM", awsToken);
        sweep.secret("IMDSv2 token of VM 1", vm1Token);
        sweep.secret("wrong IMDSv2 token sent", WRONG_IMDS_TOKEN);
        sweep.secret("profile user-data", PROFILE_USER_DATA);
        sweep.secret("profile vendor-data", PROFILE_VENDOR_DATA);
        sweep.secret("aws profile user-data", AWS_USER_DATA);
        sweep.secret("record user-data", RECORD_USER_DATA, "api GET /api/v1/vms");
        sweep.secret("user-data PUT through the API", API_USER_DATA, "api GET /api/v1/vms", "api PUT /api/v1/vms",
            "file inventory-changes.json");
        sweep.secret("VM 1's host key from phone_home", HOST_KEY);

        List<SecretSweep.Hit> hits = sweep.hits();
        hits.forEach(hit -> System.out.printf("SecretsStayIT: %s in %s x%d (%s)%n", hit.secret(), hit.place(),
            hit.count(), hit.allowed() ? "meant to be there" : "LEAK"));
        assertThat(sweep.leaks()).as("secrets found where they must not be").isEmpty();
        assertThat(hits).as("the allowed places do hold what they are meant to: the search can find a secret")
            .extracting(SecretSweep.Hit::secret)
            .contains("admin token", "record user-data", "password PUT through the API", "user-data PUT through the API");

        assertThat(modes).as("modes in the state directory").containsEntry(".", "rwx------")
            .containsKeys("leases.journal", "fleet.journal", "inventory-changes.json", "passwords-saved.json",
                "profile-assignments.json", "admin.token");
        modes.forEach((name, mode) -> assertThat(mode).as(name).isEqualTo(name.equals(".") ? "rwx------" : "rw-------"));

        System.out.printf("SecretsStayIT: secrets checked %d; places grepped %d (the logs of 2 runs at DEBUG, %d API "
                + "answers to %d distinct requests incl. metrics and errors, the page DOM, %d state files), %d lines; "
                + "hits %d where meant, leaks %d; state dir 0700 and %d files 0600; %.1f s%n", sweep.secretCount(),
            sweep.placeCount(), calls, sweep.placesStartingWith("api "), sweep.placesStartingWith("file "),
            sweep.lineCount(), hits.size(), sweep.leaks().size(), modes.size() - 1, (System.nanoTime() - started) / 1e9);
    }

    /** Every route of the admin API, good and bad, with the answers kept for the search. */
    private void exerciseAdminApi(ClientHost operator, ClientHost vm2) throws IOException {
        call("GET", "/api/v1/vms", null, 200);
        call("GET", "/api/v1/vms/" + VM1, null, 200);
        call("GET", "/api/v1/vms/" + VM2, null, 200);
        call("GET", "/api/v1/vms/not-a-mac", null, 400);
        call("GET", "/api/v1/vms/02:00:00:aa:00:77", null, 404);
        String record = json.writeValueAsString(Map.of("hostname", "api-vm", "profile", "waf", "password", API_PASSWORD,
            "user-data", "#cloud-config\nwrite_files:\n  - {path: /etc/lab-secret, content: \"" + API_USER_DATA + "\"}\n"));
        call("PUT", "/api/v1/vms/" + API_VM, record, 201);
        call("PUT", "/api/v1/vms/" + API_VM, record, 200);
        call("GET", "/api/v1/vms/" + API_VM, null, 200);
        call("PUT", "/api/v1/vms/" + REFUSED_VM, "{\"password\": \"" + REFUSED_PASSWORD + " with blanks\"}", 400);
        call("PUT", "/api/v1/vms/" + REFUSED_VM, "{\"password\": " + REFUSED_PASSWORD + "}", 400);
        call("PUT", "/api/v1/vms/" + REFUSED_VM, "{\"password\": \"" + REFUSED_PASSWORD, 400);
        call("PUT", "/api/v1/vms/" + REFUSED_VM, "{\"mac\": \"02:00:00:aa:00:0b\", \"password\": \""
            + REFUSED_PASSWORD + "\"}", 400);
        call("POST", "/api/v1/vms/" + API_VM, record, 405);
        call("DELETE", "/api/v1/vms/02:00:00:aa:00:77", null, 404);
        call("GET", "/api/v1/profiles", null, 200);
        call("GET", "/api/v1/leases", null, 200);
        String vm2Ip = vm2.namespace().exec("ip", "-4", "-o", "addr", "show", "dev", ClientHost.INTERFACE)
            .requireSuccess().output().replaceAll("(?s).*inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/.*", "$1").strip();
        call("DELETE", "/api/v1/leases/" + vm2Ip, null, 200);
        call("DELETE", "/api/v1/leases/" + vm2Ip, null, 409);
        call("DELETE", "/api/v1/leases/not-an-ip", null, 400);
        call("DELETE", "/api/v1/leases/10.20.9.9", null, 404);
        call("GET", "/api/v1/fleet", null, 200);
        call("GET", "/api/v1/fleet/" + VM1, null, 200);
        call("GET", "/api/v1/fleet/02:00:00:aa:00:77", null, 404);
        call("GET", "/api/v1/no-such-thing", null, 404);
        call("GET", "/metrics", null, 200);
        call("DELETE", "/api/v1/vms/" + API_VM, null, 204);
        call("PUT", "/api/v1/vms/" + API_VM, record, 201);
        for (String authorization : List.of("", "Bearer " + WRONG_ADMIN_TOKEN, "Basic " + WRONG_ADMIN_TOKEN)) {
            CommandResult refused = operator.namespace().exec(DEADLINE, "curl", "-sS", "-m", "10",
                "-w", "\n%{http_code}", "-H", "Authorization: " + authorization, ADMIN + "/api/v1/vms").requireSuccess();
            assertThat(refused.output().strip()).as("answer to %s", authorization).endsWith("401");
            place("refused GET /api/v1/vms with \"" + authorization.replace(WRONG_ADMIN_TOKEN, "…") + "\"",
                refused.output());
        }
        for (String asset : List.of("/", "/app.js", "/app.css")) {
            call("GET", asset, null, 200);
        }
    }

    /** A valid reload, two refused ones (a password with blanks, a YAML error beside one), and one by SIGHUP. */
    private void reload(BackgroundProcess appliance, Path config) throws IOException {
        String good = Files.readString(config, StandardCharsets.UTF_8);
        call("POST", "/api/v1/reload", null, 200);
        Files.writeString(config, good.replace("PW-VM1-3e9a1c7f52d8", RELOAD_PASSWORD + " with blanks"));
        call("POST", "/api/v1/reload", null, 400);
        Files.writeString(config, good.replace("password: PW-VM1-3e9a1c7f52d8", "password: \"" + RELOAD_PASSWORD));
        call("POST", "/api/v1/reload", null, 400);
        Files.writeString(config, good);
        appliance.signal("HUP");
        await().atMost(DEADLINE).until(() -> appliance.output().lines().filter(l -> l.contains("config reloaded"))
            .count() >= 2);
    }

    /** An admin API call with the token; its answer becomes a place of the search. */
    private void call(String method, String path, String body, int expectedStatus) {
        AdminApiCalls.Response response = admin.call(method, path, body);
        assertThat(response.status()).as("%s %s answered %s", method, path, response.body()).isEqualTo(expectedStatus);
        place(method + " " + path, response.body());
    }

    private void place(String call, String answer) {
        calls++;
        sweep.place("api " + call, answer);
    }

    private String putToken(ClientHost vm) {
        Answer token = http(vm, "PUT", "http://169.254.169.254/latest/api/token",
            Map.of("X-aws-ec2-metadata-token-ttl-seconds", "300"), "");
        assertThat(token.status()).as("token PUT: %s", token.body()).isEqualTo(200);
        return token.body().strip();
    }

    private Answer metadata(ClientHost vm, String path, String token) {
        return http(vm, "GET", "http://169.254.169.254" + path,
            token == null ? Map.of() : Map.of("X-aws-ec2-metadata-token", token), "");
    }

    /** What a VM got: status and body. */
    private record Answer(int status, String body) {
    }

    /** One request from inside {@code vm}'s namespace with Python's urllib, as cloud-init makes them. */
    private Answer http(ClientHost vm, String method, String url, Map<String, String> headers, String body) {
        String script = "import json, sys, urllib.error, urllib.request\n"
            + "data = sys.argv[4].encode() if sys.argv[2] in ('POST', 'PUT') else None\n"
            + "req = urllib.request.Request(sys.argv[1], data=data, method=sys.argv[2], headers=json.loads(sys.argv[3]))\n"
            + "try:\n"
            + "    r = urllib.request.urlopen(req, timeout=10)\n"
            + "    print(json.dumps({'status': r.status, 'body': r.read().decode()}))\n"
            + "except urllib.error.HTTPError as e:\n"
            + "    print(json.dumps({'status': e.code, 'body': e.read().decode()}))\n";
        try {
            CommandResult done = vm.namespace().exec(DEADLINE, "/usr/bin/python3", "-c", script, url, method,
                json.writeValueAsString(headers), body).requireSuccess();
            JsonNode answer = json.readTree(done.output().lines().reduce((a, b) -> b).orElse("{}"));
            return new Answer(answer.path("status").asInt(), answer.path("body").asText());
        } catch (IOException e) {
            throw new AssertionError("cannot run a request from " + vm.namespace().name(), e);
        }
    }

    /** The fleet page's DOM after it polled a few times, opened with the token in the fragment. */
    private static String fleetPage(ClientHost host, String token) throws IOException {
        Path chromium = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "chromium")).filter(Files::isExecutable)
            .findFirst().orElse(null);
        if (chromium == null) {
            System.out.println("SecretsStayIT: chromium is not installed (scripts/install-deps.sh): page DOM not checked");
            return "";
        }
        Path profile = LAB.newDirectory("chromium");
        CommandResult run = host.namespace().exec(Duration.ofSeconds(120), "/bin/sh", "-c", "exec \"$@\" 2>\"$0\"",
            profile.resolve("chromium.log").toString(), chromium.toString(), "--headless", "--no-sandbox",
            "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.resolve("profile"),
            "--virtual-time-budget=5000", "--dump-dom", ADMIN + "/#token=" + token);
        assertThat(run.succeeded()).as(run.describe()).isTrue();
        assertThat(run.output()).as("the page rendered the fleet").contains("waf-edge-1", "<main id=\"fleet\">");
        return run.output();
    }

    /** Mode of the state directory (as ".") and of everything in it. */
    private static Map<String, String> modes(Path stateDir) throws IOException {
        Map<String, String> modes = new TreeMap<>();
        modes.put(".", PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir)));
        try (Stream<Path> files = Files.list(stateDir)) {
            for (Path file : files.toList()) {
                modes.put(file.getFileName().toString(),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
        }
        return modes;
    }

    /** The appliance at DEBUG, so the search also covers the per-packet and per-request lines. */
    private record DebugLogging(ServerUnderTest server) implements ServerUnderTest {

        @Override
        public String name() {
            return server.name();
        }

        @Override
        public List<String> command(Path config, Path stateDir) {
            List<String> command = new ArrayList<>(List.of("env", "APPLIANCE_LOG_LEVEL=DEBUG"));
            command.addAll(server.command(config, stateDir));
            return command;
        }

        @Override
        public String readyLine() {
            return server.readyLine();
        }
    }
}
