package lab.appliance.netns.cloudinit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.CommandResult;

/**
 * Runs crawl.py (test resource {@code netns/cloudinit/crawl.py}) inside a lab host's namespace: the unmodified
 * cloud-init 22.4 datasource crawls the metadata server as that VM, and its findings come back as a
 * {@link CloudInitResult}.
 *
 * <p>Each run gets a private {@code /etc/resolv.conf}, by default naming 127.0.0.1 (bind-mounted inside the mount namespace
 * {@code ip netns exec} creates, so the host's file is untouched): cloud-init resolves names before using the
 * Ec2/OpenStack URLs, and the host's resolver is not reachable from a lab namespace. Loopback refuses at once;
 * a resolver address on the lab network with nothing on port 53 costs each Ec2 crawl ~10 s, because the
 * kernel rate-limits the ICMP port-unreachable answers that would otherwise end each lookup.
 */
public final class CloudInitCrawler {

    /** Above CloudStack's and Ec2's own readiness wait (120 s) plus wget's worst case for the password (60 s). */
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(240);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String LOOPBACK_RESOLVER = "nameserver 127.0.0.1\n";

    private final CloudInitTree tree;
    private final String serverAddress;

    /**
     * A crawler for the appliance at {@code serverAddress} (its address on the VMs' network: CloudStack's virtual
     * router address and the NoCloud seed host).
     */
    public CloudInitCrawler(CloudInitTree tree, String serverAddress) {
        this.tree = Objects.requireNonNull(tree, "tree");
        this.serverAddress = Objects.requireNonNull(serverAddress, "serverAddress");
    }

    /** Runs {@code datasource} as a lab VM would (Ec2 on a non-AWS platform, hence IMDSv1), files kept in {@code dir}. */
    public CloudInitResult crawl(ClientHost host, Datasource datasource, Path dir) {
        return run(host, datasource, dir, List.of(), LOOPBACK_RESOLVER);
    }

    /**
     * Runs {@code datasource} with {@code resolver} as the VM's name server and {@code search} as its search domain,
     * as a VM whose DHCP lease named them; CloudStack finds its server as cloud-init itself does, by resolving
     * {@code data-server} first, instead of being told the address.
     */
    public CloudInitResult crawlWithResolver(ClientHost host, Datasource datasource, Path dir, String resolver,
                                             String search) {
        return run(host, datasource, dir, List.of("--discover-server"), "nameserver " + resolver + "\nsearch " + search + "\n");
    }

    /** Runs Ec2 on a VM whose SMBIOS says AWS: cloud-init then asks for an IMDSv2 token and sends it on every GET. */
    public CloudInitResult crawlEc2AsAws(ClientHost host, Path dir) {
        return run(host, Datasource.EC2, dir, List.of("--ec2-platform", "aws"), LOOPBACK_RESOLVER);
    }

    private CloudInitResult run(ClientHost host, Datasource datasource, Path dir, List<String> extraArgs,
                                String resolvConfText) {
        Path script = copyResource("crawl.py", dir);
        Path resolvConf = write(dir.resolve("resolv.conf"), resolvConfText);
        Path log = dir.resolve("cloud-init.log");
        Path workdir = dir.resolve("cloud");
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "resolv=$1; log=$2; shift 2; mount --bind \"$resolv\" /etc/resolv.conf || exit 125; exec \"$@\" 2>\"$log\"",
                "sh", resolvConf.toString(), log.toString(),
                "env", "PYTHONPATH=" + tree.pythonPath(), CloudInitTree.PYTHON.toString(), script.toString(),
                "--datasource", datasource.cloudInitName(), "--server", serverAddress,
                "--seed", "http://" + serverAddress + "/nocloud/", "--workdir", workdir.toString()));
        command.addAll(extraArgs);
        CommandResult result = host.namespace().exec(RUN_TIMEOUT, command);
        if (!result.succeeded()) {
            throw new AssertionError("crawl.py failed in " + host.namespace().name() + " (log " + log + "): "
                    + result.describe());
        }
        return parse(datasource, result, log);
    }

    private static CloudInitResult parse(Datasource datasource, CommandResult result, Path log) {
        String line = result.output().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new AssertionError("crawl.py printed no JSON (log " + log + "): " + result.describe(), e);
        }
        List<String> keys = new ArrayList<>();
        root.path("public_keys").forEach(k -> keys.add(k.asText()));
        List<String> updateEvents = new ArrayList<>();
        root.path("network_update_events").forEach(e -> updateEvents.add(e.asText()));
        return new CloudInitResult(datasource, root.path("success").asBoolean(false), text(root, "instance_id"),
                text(root, "hostname"), keys, text(root, "userdata_raw"), text(root, "vendordata_raw"),
                root.path("network_config"), updateEvents, root.path("metadata"), text(root, "password"), text(root, "error"), log);
    }

    /** A string member; absent and JSON null are empty. User- or vendor-data that is not UTF-8 fails loudly. */
    private static Optional<String> text(JsonNode root, String member) {
        JsonNode node = root.path(member);
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new AssertionError(member + " is not text in crawl.py's output: " + node);
        }
        return Optional.of(node.asText());
    }

    private static Path copyResource(String name, Path dir) {
        Path target = dir.resolve(name);
        try (InputStream in = CloudInitCrawler.class.getResourceAsStream("/netns/cloudinit/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource netns/cloudinit/" + name + " is missing");
            }
            Files.createDirectories(dir);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy netns/cloudinit/" + name + " to " + dir, e);
        }
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
