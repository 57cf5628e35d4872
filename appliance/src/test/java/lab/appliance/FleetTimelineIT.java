package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lab.appliance.fleet.BootPhase;
import lab.appliance.fleet.FleetTracker;
import lab.appliance.fleet.VmTimeline;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.DhcpClientKind;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.cloudinit.CloudInitCrawler;
import lab.appliance.netns.cloudinit.CloudInitResult;
import lab.appliance.netns.cloudinit.CloudInitTree;
import lab.appliance.netns.cloudinit.Datasource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three lab VMs boot against the appliance process: one takes a lease with dhclient, runs the real cloud-init Ec2
 * crawl, phones home and posts the webhook's final {@code finish}; one does the same but its boot FAILs; one only
 * takes a lease. The persisted {@code fleet.journal} shows each VM's events in order and, replayed, its phase.
 */
@Tag("netns")
class FleetTimelineIT {

    private static final String SERVER = "10.20.0.1";
    private static final String FINISHED_VM = "02:00:00:aa:00:01";
    private static final String FAILED_VM = "02:00:00:aa:00:02";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** Client 0: a pool MAC that only takes a lease; client 1 finishes its boot; client 2 fails it. */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(1).plusClient(FINISHED_VM).plusClient(FAILED_VM);

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void timelineShowsLeasedFinishedAndFailedVms() throws Exception {
        CloudInitCrawler crawler = new CloudInitCrawler(CloudInitTree.assumeAvailable(), SERVER);
        Path stateDir = LAB.newDirectory("state");
        LAB.startServer(ApplianceServer.fromSystemProperty(), NetnsLab.resource("metadata.yaml"), stateDir);
        for (ClientHost vm : LAB.clients()) {
            vm.flushAddresses();
            DhcpClientKind.DHCLIENT.driverFor(vm, LAB.newDirectory("dhclient")).obtain();
        }

        boot(crawler, LAB.client(1), "i-waf-edge-1", "waf-edge-1", "SUCCESS");
        boot(crawler, LAB.client(2), "i-waf-edge-2", "waf-edge-2", "FAIL");

        Path journal = stateDir.resolve("fleet.journal");
        await().atMost(DEADLINE).until(() -> kindsOf(journal, FAILED_VM).contains("FAILED")
            && kindsOf(journal, FINISHED_VM).contains("FINISHED"));

        // OFFER and REQUEST are shown while the appliance runs but not journaled.
        assertThat(kindsOf(journal, FINISHED_VM)).containsSubsequence("DISCOVER", "ACK",
            "METADATA", "USER_DATA", "PHONE_HOME", "FINISHED").doesNotContain("OFFER", "REQUEST");
        assertThat(kindsOf(journal, FINISHED_VM)).containsOnlyOnce("METADATA");
        assertThat(kindsOf(journal, FAILED_VM)).containsSubsequence("ACK", "METADATA", "PHONE_HOME", "FAILED");
        String leaseOnlyMac = LAB.client(0).mac().toString();
        assertThat(kindsOf(journal, leaseOnlyMac)).containsSubsequence("DISCOVER", "ACK")
            .doesNotContain("METADATA");

        // The journal as the appliance replays it after a restart (a copy: the running appliance owns the file).
        Path copy = LAB.newDirectory("replay");
        Files.copy(journal, copy.resolve("fleet.journal"));
        try (FleetTracker replayed = new FleetTracker(copy, mac -> FleetTracker.Label.UNKNOWN, Clock.systemUTC())) {
            replayed.start();
            VmTimeline finished = replayed.of(FINISHED_VM).orElseThrow();
            assertThat(finished.phase()).isEqualTo(BootPhase.FINISHED);
            assertThat(finished.hostname()).isEqualTo("waf-edge-1");
            assertThat(finished.ip()).contains("10.20.0.11");
            assertThat(replayed.of(FAILED_VM).orElseThrow().phase()).isEqualTo(BootPhase.FAILED);
            assertThat(replayed.of(leaseOnlyMac).orElseThrow().phase()).isEqualTo(BootPhase.LEASED);
        }
    }

    /** The real crawl, then what cloud-init's phone_home module and reporting webhook post at the end of a boot. */
    private void boot(CloudInitCrawler crawler, ClientHost vm, String instanceId, String hostname, String result) {
        CloudInitResult crawl = crawler.crawl(vm, Datasource.EC2, LAB.newDirectory("crawl"));
        assertThat(crawl.instanceId()).as("crawl (log %s)", crawl.log()).hasValue(instanceId);
        post(vm, "http://" + SERVER + "/phone-home/" + instanceId, "application/x-www-form-urlencoded",
            "pub_key_ed25519=ssh-ed25519+AAAAC3NzaC1lZDI1NTE5AAAAIFakeHostKey+root%40" + hostname + "%0A"
                + "&pub_key_rsa=N%2FA&instance_id=" + instanceId + "&hostname=" + hostname
                + "&fqdn=" + hostname + ".lab.example.org");
        post(vm, "http://" + SERVER + "/cloud-init/events", "",
            "{\"name\": \"modules-final\", \"description\": \"running modules for final\", "
                + "\"event_type\": \"finish\", \"origin\": \"cloudinit\", \"timestamp\": 1764072000.5, "
                + "\"result\": \"" + result + "\"}");
    }

    /** POSTs from inside the VM's namespace with Python's urllib, as cloud-init does; fails unless answered 200. */
    private static void post(ClientHost vm, String url, String contentType, String body) {
        String script = "import sys, urllib.request\n"
            + "req = urllib.request.Request(sys.argv[1], data=sys.argv[3].encode(), method='POST')\n"
            + "if sys.argv[2]: req.add_header('Content-Type', sys.argv[2])\n"
            + "print(urllib.request.urlopen(req, timeout=10).status)\n";
        CommandResult posted = vm.namespace().exec(DEADLINE, "/usr/bin/python3", "-c", script, url, contentType, body)
            .requireSuccess();
        assertThat(posted.output().strip()).as(posted.describe()).isEqualTo("200");
    }

    private List<String> kindsOf(Path journal, String mac) {
        List<String> kinds = new ArrayList<>();
        if (!Files.exists(journal)) {
            return kinds;
        }
        try {
            for (String line : Files.readAllLines(journal)) {
                JsonNode record = json.readTree(line);
                if (record.path("mac").asText().equals(mac)) {
                    kinds.add(record.path("kind").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return kinds;
    }
}
