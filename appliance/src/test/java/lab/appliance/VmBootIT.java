package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import lab.appliance.netns.AdminApiCalls;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.VirtualMachine;
import lab.appliance.netns.VmImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real Debian 12 VMs (stock cloud-init 22.4, booted under qemu on the lab's bridge) boot from the appliance, one per
 * datasource variant, each launched with exactly what {@code appliance launch-args MAC --for qemu} prints for its
 * profile's {@code datasource}. Checked from inside the VM over SSH with the key the metadata gave it (hostname,
 * cloud-init done without errors, the datasource cloud-init chose, the rendered write_files file) and from the
 * appliance (the boot timeline's phase from phone_home and the reporting webhook, one lease per MAC). Then one VM
 * reboots (same instance: per-instance modules do not run again) and one is re-provisioned through the admin API
 * (new instance-id: cloud-init runs again), and a VM launched with no hint at all shows up as having no datasource.
 *
 * <p>At most two VMs boot at once: on this 2-core machine a third makes every boot slower without more throughput.
 */
@Tag("netns")
@Tag("vm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VmBootIT {

    private static final String SERVER = "10.20.0.1";
    private static final int PARALLEL_BOOTS = 2;
    /** A TCG boot takes 45-95 s alone; two at once on a loaded CI machine can take several times that. */
    private static final Duration BOOT_DEADLINE = Duration.ofMinutes(8);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One VM per way cloud-init can be pointed at the appliance, plus one with no hint at all. */
    enum Variant {
        EC2_AWS("aws", "ec2-aws", "DataSourceEc2Local", true),
        CLOUDSTACK("cloudstack", "cloudstack", "DataSourceCloudStack", true),
        EC2("ec2", "ec2", "DataSourceEc2", true),
        OPENSTACK("openstack", "openstack", "DataSourceOpenStackLocal", true),
        NOCLOUD_SMBIOS("nocloud", "nocloud", "DataSourceNoCloudNet", true),
        NOCLOUD_CMDLINE("nocloud-cl", "nocloud-cmdline", "DataSourceNoCloudNet", true),
        /** Its profile says CloudStack, but it is launched without the hint: what an operator forgets. */
        NONE("none", "cloudstack", "", false);

        final String shortName;
        final String datasource;
        final String chosenDatasource;
        final boolean launchedWithHint;

        Variant(String shortName, String datasource, String chosenDatasource, boolean launchedWithHint) {
            this.shortName = shortName;
            this.datasource = datasource;
            this.chosenDatasource = chosenDatasource;
            this.launchedWithHint = launchedWithHint;
        }

        String mac() {
            return String.format(Locale.ROOT, "02:00:00:dd:00:%02x", ordinal() + 1);
        }

        String ip() {
            return "10.20.0." + (21 + ordinal());
        }

        String hostname() {
            return "vm-" + shortName;
        }

        String profile() {
            return shortName;
        }

        String instanceId() {
            return "i-vm-" + shortName;
        }
    }

    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(0);

    private static VmImage image;
    private static Path key;
    private static Path config;
    private static Path stateDir;
    private static AdminApiCalls admin;
    private static final Map<Variant, VirtualMachine> VMS = new EnumMap<>(Variant.class);
    private static final Map<Variant, Duration> BOOT_TIMES = new EnumMap<>(Variant.class);

    @BeforeAll
    static void bootTheFleet() throws Exception {
        image = VmImage.assumeAvailable();
        key = LAB.newDirectory("ssh").resolve("id_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "vm-boot-it", "-f", key.toString()));
        stateDir = LAB.newDirectory("state");
        config = LAB.newDirectory("config").resolve("appliance.yaml");
        Files.writeString(config, config(Files.readString(key.resolveSibling("id_ed25519.pub")).strip()),
                StandardCharsets.UTF_8);
        LAB.startServer(ApplianceServer.fromSystemProperty(), config, stateDir);
        admin = new AdminApiCalls(LAB.server(), "http://" + SERVER + ":8807", stateDir.resolve("admin.token"));
        System.out.printf("VmBootIT: image %s (cloud-init %s, kernel %s)%n", image.dir(),
                image.packageVersion("cloud-init"), image.packageVersion("linux-image-amd64"));
        bootAtMostTwoAtOnce(List.of(Variant.values()));
    }

    @ParameterizedTest
    @EnumSource(value = Variant.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    @Order(1)
    void vmBootsWithItsOwnIdentity(Variant variant) {
        VirtualMachine vm = bootedVm(variant);
        assertThat(inVm(variant, "hostname").strip()).isEqualTo(variant.hostname());
        JsonNode result = cloudInitResult(variant);
        // e.g. "DataSourceOpenStackLocal [net,ver=2]": the class, then details.
        assertThat(result.path("v1").path("datasource").asText().split(" ", 2)[0]).as("datasource cloud-init chose")
                .isEqualTo(variant.chosenDatasource);
        assertThat(result.path("v1").path("errors")).as("cloud-init errors (%s)", vm.name()).isEmpty();
        assertThat(inVm(variant, "cloud-init status")).contains("status: done");
        assertThat(inVm(variant, "sudo grep -E '\\[(ERROR|CRITICAL)\\]' /var/log/cloud-init.log || true").strip())
                .as("ERROR lines in cloud-init.log").isEmpty();
        assertThat(inVm(variant, "cat /etc/appliance-role"))
                .isEqualTo(variant.profile() + " " + variant.ip() + " " + variant.instanceId());
        assertThat(inVm(variant, "cat /var/lib/cloud/data/instance-id").strip()).isEqualTo(variant.instanceId());
        // The lab's DNS: the VM's own name (no /etc/hosts entry is written), the appliance by data-server, and sudo
        // without "unable to resolve host".
        assertThat(inVm(variant, "getent hosts " + variant.hostname()).strip())
                .matches(Pattern.quote(variant.ip()) + "\\s+" + Pattern.quote(variant.hostname()) + "\\.lab\\.internal.*");
        assertThat(inVm(variant, "getent hosts data-server").strip()).startsWith(SERVER + " ");
        assertThat(inVm(variant, "sudo true 2>&1")).as("sudo's complaints").isEmpty();
        // For the record, not a threshold: how long the datasource search took, name lookups included.
        System.out.printf("%s: datasource search (cloud-init analyze blame): %s%n", variant,
                inVm(variant, "sudo cloud-init analyze blame 2>/dev/null | grep -E 'search-' || true").strip());

        JsonNode timeline = admin.get("/api/v1/fleet/" + variant.mac());
        assertThat(timeline.path("phase").asText()).isEqualTo("finished");
        assertThat(eventKinds(timeline)).contains("ack", "metadata", "user_data", "phone_home", "finished");
        assertThat(leasesOf(variant)).as("leases of %s", variant.mac()).containsExactly(variant.ip());
        switch (variant) {
            case CLOUDSTACK -> {
                // The VM's own wget fetched the password and acknowledged it; cloud-init set it.
                assertThat(eventKinds(timeline)).contains("password_fetched", "password_saved");
                assertThat(inVm(variant, "sudo passwd -S debian")).contains("debian P ");
                // cloud-init found the appliance the first way it tries: the name data-server.
                assertThat(inVm(variant, "sudo grep -c 'via data-server DNS entry' /var/log/cloud-init.log").strip())
                        .isNotEqualTo("0");
            }
            case EC2_AWS -> {
                // Its profile requires IMDSv2 tokens: the boot only got this far with them.
                assertThat(inVm(variant, "sudo grep -c 'Fetching Ec2 IMDSv2 API Token' /var/log/cloud-init.log")
                        .strip()).isNotEqualTo("0");
                assertThat(inVm(variant, "cloud-id").strip()).isEqualTo("aws");
            }
            default -> { }
        }
    }

    @Test
    @Order(2)
    void vmWithoutAnyHintIsShownAsHavingNoDatasource() {
        VirtualMachine vm = VMS.get(Variant.NONE);
        assertThat(vm).as("the VM without a hint was booted").isNotNull();
        // ds-identify found nothing, so cloud-init disabled itself: no stage ran, nothing asked for metadata.
        assertThat(vm.console()).doesNotContain("Cloud-init v.");
        JsonNode timeline = admin.get("/api/v1/fleet/" + Variant.NONE.mac());
        assertThat(timeline.path("phase").asText()).isEqualTo("leased");
        assertThat(eventKinds(timeline)).contains("ack").doesNotContain("metadata");
        await("the doctor's diagnosis of " + Variant.NONE.mac()).atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(5))
                .until(() -> admin.get("/api/v1/fleet/" + Variant.NONE.mac()).path("diagnosis").path("code").asText(),
                        "no-datasource"::equals);
        // The doctor shows the recipe for the datasource its profile names.
        JsonNode diagnosis = admin.get("/api/v1/fleet/" + Variant.NONE.mac()).path("diagnosis");
        assertThat(diagnosis.path("text").asText())
                .contains("its profile's datasource is cloudstack: launch it with qemu's "
                        + "-smbios 'type=1,product=CloudStack KVM Hypervisor'")
                .contains("launch-args " + Variant.NONE.mac());
        assertThat(fleetRow(Variant.NONE).path("diagnosis").path("code").asText()).isEqualTo("no-datasource");
    }

    /** A reboot keeps the instance: same id and address, per-instance modules (runcmd, host keys) not run again. */
    @Test
    @Order(3)
    void rebootKeepsTheInstance() {
        Variant variant = Variant.EC2_AWS;
        bootedVm(variant);
        String bootId = inVm(variant, "cat /proc/sys/kernel/random/boot_id").strip();
        String hostKey = inVm(variant, "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub").strip();
        assertThat(runcmdLines(variant)).hasSize(1);

        rebootAndWait(variant, bootId);

        assertThat(inVm(variant, "cat /var/lib/cloud/data/instance-id").strip()).isEqualTo(variant.instanceId());
        assertThat(inVm(variant, "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub").strip()).isEqualTo(hostKey);
        assertThat(runcmdLines(variant)).as("runcmd runs once per instance").hasSize(1);
        assertThat(cloudInitResult(variant).path("v1").path("errors")).isEmpty();
        assertThat(leasesOf(variant)).containsExactly(variant.ip());
        // phone_home is once per instance; the webhook reports every boot.
        JsonNode timeline = admin.get("/api/v1/fleet/" + variant.mac());
        assertThat(timeline.path("boots")).as("boots in the timeline").hasSize(2);
        assertThat(allEventKinds(timeline).stream().filter("phone_home"::equals)).hasSize(1);
        assertThat(allEventKinds(timeline).stream().filter("finished"::equals)).hasSize(2);
    }

    /** A new instance-id from the admin API makes cloud-init treat the VM as new on its next boot. */
    @Test
    @Order(4)
    void reprovisionedVmRunsCloudInitAgain() {
        Variant variant = Variant.NOCLOUD_CMDLINE;
        bootedVm(variant);
        String bootId = inVm(variant, "cat /proc/sys/kernel/random/boot_id").strip();
        String hostKey = inVm(variant, "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub").strip();
        String newId = variant.instanceId() + "-2";
        AdminApiCalls.Response put = admin.call("PUT", "/api/v1/vms/" + variant.mac(), "{\"ip\": \"" + variant.ip()
                + "\", \"hostname\": \"" + variant.hostname() + "\", \"profile\": \"" + variant.profile()
                + "\", \"instance-id\": \"" + newId + "\"}");
        assertThat(put.status()).as(put.body()).isBetween(200, 201);

        rebootAndWait(variant, bootId);

        assertThat(inVm(variant, "cat /var/lib/cloud/data/instance-id").strip()).isEqualTo(newId);
        assertThat(inVm(variant, "cat /etc/appliance-role"))
                .isEqualTo(variant.profile() + " " + variant.ip() + " " + newId);
        assertThat(runcmdLines(variant)).as("runcmd ran again for the new instance").hasSize(2);
        assertThat(inVm(variant, "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub").strip())
                .as("a new instance gets new host keys").isNotEqualTo(hostKey);
        assertThat(inVm(variant, "hostname").strip()).isEqualTo(variant.hostname());
        assertThat(cloudInitResult(variant).path("v1").path("errors")).isEmpty();
        JsonNode timeline = admin.get("/api/v1/fleet/" + variant.mac());
        // The OS's dhclient restarts with INIT-REBOOT (no DISCOVER): that too starts the second boot.
        assertThat(timeline.path("boots")).as("boots in the timeline").hasSize(2);
        assertThat(timeline.path("phase").asText()).isEqualTo("finished");
        assertThat(allEventKinds(timeline).stream().filter("phone_home"::equals)).hasSize(2);
        assertThat(leasesOf(variant)).containsExactly(variant.ip());
    }

    // --- booting ---

    /**
     * Powers the VMs on in order, never more than {@link #PARALLEL_BOOTS} booting at once; a VM is done booting
     * when the appliance's timeline says finished or failed (the no-hint VM: once it has its lease and a login
     * prompt), or after {@link #BOOT_DEADLINE}. A VM that misses it is left to its test to report.
     */
    private static void bootAtMostTwoAtOnce(List<Variant> order) throws InterruptedException {
        Deque<Variant> waiting = new ArrayDeque<>(order);
        Map<Variant, Instant> booting = new EnumMap<>(Variant.class);
        while (!waiting.isEmpty() || !booting.isEmpty()) {
            while (booting.size() < PARALLEL_BOOTS && !waiting.isEmpty()) {
                Variant next = waiting.removeFirst();
                VMS.put(next, VirtualMachine.boot(LAB, image, next.shortName, next.mac(), launchArgs(next), ""));
                booting.put(next, Instant.now());
            }
            Thread.sleep(2000);
            for (Variant variant : List.copyOf(booting.keySet())) {
                Duration took = Duration.between(booting.get(variant), Instant.now());
                if (doneBooting(variant) || took.compareTo(BOOT_DEADLINE) > 0 || !VMS.get(variant).isRunning()) {
                    booting.remove(variant);
                    BOOT_TIMES.put(variant, took);
                    System.out.printf("VmBootIT: %s %s after %d s (phase %s)%n", variant, doneBooting(variant)
                            ? "booted" : "did NOT finish", took.toSeconds(), phase(variant));
                }
            }
        }
    }

    private static boolean doneBooting(Variant variant) {
        String phase = phase(variant);
        if (variant == Variant.NONE) {
            return phase.equals("leased") && VMS.get(variant).console().contains(" login:");
        }
        return phase.equals("finished") || phase.equals("failed");
    }

    private static String phase(Variant variant) {
        AdminApiCalls.Response response = admin.call("GET", "/api/v1/fleet/" + variant.mac(), null);
        return response.status() == 200 ? response.json().path("phase").asText() : "unknown (" + response.status() + ")";
    }

    /** What {@code appliance launch-args MAC --for qemu} prints for the VM's profile; nothing for the no-hint VM. */
    private static Optional<String> launchArgs(Variant variant) {
        if (!variant.launchedWithHint) {
            return Optional.empty();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        return Optional.of(run(List.of(java, "-jar", System.getProperty("appliance.jar"), "launch-args",
                variant.mac(), "--for", "qemu", "--config", config.toString())));
    }

    private static void rebootAndWait(Variant variant, String oldBootId) {
        VirtualMachine vm = bootedVm(variant);
        // The SSH session may die with the VM's network: its exit status says nothing.
        vm.ssh(LAB.server(), key, variant.ip(), "sudo systemctl reboot");
        await("reboot of " + vm.name()).atMost(BOOT_DEADLINE).pollInterval(Duration.ofSeconds(5))
                .until(() -> {
                    CommandResult status = vm.ssh(LAB.server(), key, variant.ip(),
                            "cat /proc/sys/kernel/random/boot_id; cloud-init status");
                    return status.succeeded() && !status.output().contains(oldBootId)
                            && status.output().matches("(?s).*status: (done|error).*");
                });
    }

    // --- looking ---

    private static VirtualMachine bootedVm(Variant variant) {
        VirtualMachine vm = VMS.get(variant);
        if (vm == null) {
            fail("VM " + variant + " was never booted");
        }
        if (!doneBooting(variant)) {
            fail(variant + " did not finish booting in " + BOOT_TIMES.get(variant) + " (phase " + phase(variant)
                    + ")\n" + vm.describe());
        }
        return vm;
    }

    private static String inVm(Variant variant, String command) {
        VirtualMachine vm = VMS.get(variant);
        CommandResult result = vm.ssh(LAB.server(), key, variant.ip(), command);
        if (!result.succeeded()) {
            fail("in " + vm.name() + ": " + result.describe() + "\n" + vm.describe());
        }
        return result.output();
    }

    private static JsonNode cloudInitResult(Variant variant) {
        try {
            return JSON.readTree(inVm(variant, "cat /run/cloud-init/result.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("result.json of " + variant + " is not JSON", e);
        }
    }

    private static List<String> runcmdLines(Variant variant) {
        return inVm(variant, "cat /var/lib/appliance-runcmd").lines().filter(line -> !line.isBlank()).toList();
    }

    private static List<String> leasesOf(Variant variant) {
        return StreamSupport.stream(admin.get("/api/v1/leases").spliterator(), false)
                .filter(lease -> lease.path("mac").asText().equals(variant.mac()))
                .map(lease -> lease.path("ip").asText()).toList();
    }

    private static JsonNode fleetRow(Variant variant) {
        for (JsonNode row : admin.get("/api/v1/fleet").path("vms")) {
            if (row.path("mac").asText().equals(variant.mac())) {
                return row;
            }
        }
        throw new AssertionError(variant.mac() + " is not in GET /api/v1/fleet");
    }

    /** The event kinds of the VM's current boot. */
    private static List<String> eventKinds(JsonNode timeline) {
        JsonNode boots = timeline.path("boots");
        List<String> kinds = new ArrayList<>();
        boots.path(boots.size() - 1).path("events").forEach(e -> kinds.add(e.path("kind").asText()));
        return kinds;
    }

    /** The event kinds of every boot the timeline keeps. */
    private static List<String> allEventKinds(JsonNode timeline) {
        List<String> kinds = new ArrayList<>();
        timeline.path("boots").forEach(boot -> boot.path("events").forEach(e -> kinds.add(e.path("kind").asText())));
        return kinds;
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    // --- the appliance's config ---

    /** One profile per variant, each with its datasource and the same user-data; one VM record per variant. */
    private static String config(String publicKey) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("network:\n  interface: lab0\n  address: 10.20.0.1/16\n  router: 10.20.0.1\n")
                .append("  dns: [10.20.0.1]\n  domain: lab.internal\n")
                .append("dhcp:\n  pools: [10.20.1.1-10.20.3.254]\n  lease-time: 1h\n")
                .append("metadata: {link-local: true, password-server: true, imds-tokens: optional}\n")
                .append("dns: {}\n")
                .append("admin:\n  listen: ").append(SERVER).append(":8807\n  token-file: ")
                .append(stateDir.resolve("admin.token")).append('\n')
                .append("state-dir: ").append(stateDir).append('\n')
                .append("profiles:\n");
        for (Variant variant : Variant.values()) {
            yaml.append("  ").append(variant.profile()).append(":\n");
            yaml.append("    datasource: ").append(variant.datasource).append('\n');
            if (variant == Variant.EC2_AWS) {
                yaml.append("    imds-tokens: required\n");
            }
            yaml.append("    ssh-keys: [\"").append(publicKey).append("\"]\n")
                    .append("    user-data: |\n").append(USER_DATA.indent(6));
        }
        yaml.append("vms:\n");
        for (Variant variant : Variant.values()) {
            yaml.append("  - {mac: ").append(variant.mac()).append(", hostname: ").append(variant.hostname())
                    .append(", profile: ").append(variant.profile()).append(", ip: ").append(variant.ip())
                    .append(", instance-id: ").append(variant.instanceId())
                    .append(variant == Variant.CLOUDSTACK ? ", password: Lab-Passw0rd-1" : "").append("}\n");
        }
        return yaml.toString();
    }

    /**
     * What every VM runs: its name, a file rendered from the template, a per-instance runcmd that records each run,
     * and both ways of telling the appliance it finished. No {@code manage_etc_hosts}: the lab's DNS names the VM.
     */
    private static final String USER_DATA = """
            #cloud-config
            hostname: {{ hostname }}
            write_files:
              - path: /etc/appliance-role
                content: "{{ profile }} {{ ip }} {{ instance_id }}"
            runcmd:
              - [sh, -c, 'echo "$(cat /var/lib/cloud/data/instance-id) $(cat /proc/sys/kernel/random/boot_id)" >> /var/lib/appliance-runcmd']
            phone_home:
              url: "http://10.20.0.1/phone-home/$INSTANCE_ID"
              post: all
              tries: 10
            reporting:
              appliance:
                type: webhook
                endpoint: "http://10.20.0.1/cloud-init/events"
            """;
}
