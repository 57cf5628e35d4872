package lab.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.appliance.netns.AdminApiCalls;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.ClientLease;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.DhclientDriver;
import lab.appliance.netns.DhcpClientKind;
import lab.appliance.netns.LeaseJournalFile;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.cloudinit.CloudInitCrawler;
import lab.appliance.netns.cloudinit.CloudInitResult;
import lab.appliance.netns.cloudinit.CloudInitTree;
import lab.appliance.netns.cloudinit.Datasource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The appliance's state dir fails under it while it serves: a small tmpfs filled to ENOSPC, then an ext4 file system
 * gone read-only (see {@link Ext4StateDisk} for why not {@code mount -o remount,ro}). Real clients hold leases and a
 * VM's cloud-init crawls its metadata. While the disk is broken: no client is ACKed (a new one, one renewing its
 * lease), none of them gets a journal line, the existing VM's metadata and password are still served, the admin API
 * refuses a VM edit it cannot save and changes nothing, the log has one ERROR, and the metrics say the lease store is
 * not writable. Once fixed, the client that kept retransmitting gets its lease without a restart, the state files
 * catch up, and after a SIGKILL and a restart the journal holds every lease that was ACKed.
 *
 * <p>A full tmpfs still takes appends into the last, partly used page of a file: the first leases after the fill are
 * durable and ACKed, rightly. A burner client (no client identifier, no hostname: the shortest journal line there is)
 * takes leases until a write fails, so every later line, being longer, cannot fit either; those leases are counted
 * and checked in the journal, and from the first failed write on no ACK may leave.
 */
@Tag("netns")
class DiskFullIT {

    private static final String SERVER = "10.20.0.1";
    private static final String ADMIN = "http://10.20.0.1:8807";
    private static final String VM_MAC = "02:00:00:aa:00:01";
    private static final String VM_IP = "10.20.0.11";
    /** Matches only the profile: its number is written to profile-assignments.json at its first DHCP message. */
    private static final String WAITING_VM_MAC = "02:00:00:aa:00:63";
    private static final String EDITED_VM_MAC = "02:00:00:cc:00:09";
    private static final String JOURNAL_ERROR = "lease journal write failed";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int BURNER_RUNS = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Clients 0..2 are pool clients (renewer, burner, a new client); then the VM, then the waiting profile VM. */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(3).plusClient(VM_MAC).plusClient(WAITING_VM_MAC);

    @AfterEach
    void stopEverything() {
        LAB.stopProcesses();
    }

    @Test
    void aFullStateDirStopsAcksUntilSpaceReturns() {
        DhcpClientKind.UDHCPC.assumeInstalled();
        DhcpClientKind.DHCLIENT.assumeInstalled();
        CloudInitCrawler crawler = new CloudInitCrawler(CloudInitTree.assumeAvailable(), SERVER);
        TmpfsStateDisk disk = TmpfsStateDisk.mount(LAB.newDirectory("tmpfs"), 4);
        try {
            Figures figures = serveThrough(disk, crawler);
            System.out.printf(Locale.ROOT, "DiskFullIT full: tmpfs 4 MiB, filler %d bytes, usable after the fill %d "
                    + "bytes%n", disk.filledBytes(), disk.usableAfterFill());
            figures.print();
        } finally {
            LAB.stopProcesses();
            disk.close();
        }
    }

    @Test
    void aReadOnlyStateDirStopsAcksUntilItIsMountedBack() {
        DhcpClientKind.UDHCPC.assumeInstalled();
        DhcpClientKind.DHCLIENT.assumeInstalled();
        Ext4StateDisk.assumeAvailable();
        CloudInitCrawler crawler = new CloudInitCrawler(CloudInitTree.assumeAvailable(), SERVER);
        Path work = LAB.newDirectory("ext4");
        Path mountPoint = work.resolve("mnt");
        try {
            Files.createDirectories(mountPoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Ext4StateDisk disk = Ext4StateDisk.create(work.resolve("state.img"), mountPoint, 16);
        try {
            serveThrough(disk, crawler).print();
        } finally {
            LAB.stopProcesses();
            disk.close();
        }
    }

    /** The whole episode on one disk; returns what it measured. */
    private Figures serveThrough(StateDisk disk, CloudInitCrawler crawler) {
        Figures figures = new Figures(disk.failure());
        Map<String, String> acked = new LinkedHashMap<>();
        for (ClientHost host : LAB.clients()) {
            host.flushAddresses();
        }
        BackgroundProcess appliance = start(disk.dir());
        AdminApiCalls admin = adminOf(disk.dir());

        // Before: a VM with its lease (dhclient), and a pool client bound (udhcpc, sending a hostname).
        ClientLease vmLease = DhclientDriver.on(vm(), LAB.newDirectory("dhclient")).obtain();
        assertThat(vmLease.address()).isEqualTo(VM_IP);
        acked.put(VM_MAC, VM_IP);
        RetryingUdhcpc renewer = RetryingUdhcpc.start(renewerHost(), LAB.newDirectory("renewer"),
                "renewing-client-0001-lab");
        renewer.awaitEvent("bound", 1, DEADLINE);
        String renewerIp = renewer.address().orElseThrow();
        acked.put(renewerHost().mac().toString(), renewerIp);
        long renewerLines = journalLines(disk.viewedBy(appliance), renewerHost().mac().toString());

        int mark = appliance.output().length();
        long failedAt = System.nanoTime();
        disk.fail(appliance);
        List<String> absorbed = takeLeasesUntilAWriteFails(appliance, mark);
        figures.absorbed = absorbed.size();
        absorbed.forEach(ip -> acked.put(burnerHost().mac().toString(), ip));

        // The outage: a new client, the waiting VM, a renewing client, the VM's cloud-init and the admin API, at once.
        RetryingUdhcpc waiting = RetryingUdhcpc.start(waitingVm(), LAB.newDirectory("waiting"), "");
        CompletableFuture<CommandResult> newClient = CompletableFuture.supplyAsync(() -> newClientHost().namespace()
                .exec(DEADLINE, List.of("udhcpc", "-f", "-n", "-q", "-i", ClientHost.INTERFACE, "-t", "2", "-T",
                        "1", "-x", "hostname:new-client-0001-lab", "-s", "/bin/true")));
        long crawlStarted = System.nanoTime();
        CompletableFuture<CloudInitResult> crawl = CompletableFuture.supplyAsync(
                () -> crawler.crawl(vm(), Datasource.CLOUDSTACK, LAB.newDirectory("crawl-outage")));
        renewer.renew();
        AdminApiCalls.Response refusedEdit = admin.call("PUT", "/api/v1/vms/" + EDITED_VM_MAC,
                "{\"ip\": \"10.20.0.70\", \"hostname\": \"edited-vm\"}", true);

        CommandResult newClientRun = newClient.join();
        CloudInitResult outageCrawl = crawl.join();
        figures.crawlSeconds = seconds(System.nanoTime() - crawlStarted);
        // udhcpc gives a renewal up after 3 unanswered REQUESTs and its rebinding after that: it deconfigures.
        renewer.awaitEvent("deconfig", 2, DEADLINE);
        // The waiting VM went through DISCOVER, OFFER and 3 unanswered REQUESTs at least once.
        waiting.awaitEvent("leasefail", 1, DEADLINE);
        Map<String, Double> outageMetrics = metrics(admin);
        String outageLog = appliance.output().substring(mark);
        Path stateView = disk.viewedBy(appliance);

        assertThat(newClientRun.succeeded()).as("new client bound during the outage: %s", newClientRun.describe())
                .isFalse();
        assertThat(newClientRun.output()).doesNotContain("obtained");
        assertThat(waiting.count("bound")).as("waiting VM bound during the outage").isZero();
        assertThat(renewer.count("renew")).as("renewal ACKed during the outage").isZero();
        figures.outageAcks = newClientRun.output().lines().filter(l -> l.contains("obtained")).count()
                + waiting.count("bound") + renewer.count("renew");
        assertThat(journalMacs(stateView)).as("journal lines of the clients of the outage")
                .doesNotContain(newClientHost().mac().toString(), WAITING_VM_MAC);
        assertThat(journalLines(stateView, renewerHost().mac().toString())).as("renewer's journal lines")
                .isEqualTo(renewerLines);

        assertThat(outageCrawl.success()).as("metadata crawl during the outage (log %s, error %s)", outageCrawl.log(),
                outageCrawl.error()).isTrue();
        assertThat(outageCrawl.instanceId()).hasValue("i-waf-edge-1");
        assertThat(outageCrawl.hostname()).hasValue("waf-edge-1");
        assertThat(outageCrawl.password()).hasValue("Lab-Passw0rd-1");

        assertThat(refusedEdit.status()).as(refusedEdit.body()).isEqualTo(500);
        assertThat(refusedEdit.body()).contains("cannot save the change");
        assertThat(admin.get("/api/v1/vms").findValuesAsText("mac")).doesNotContain(EDITED_VM_MAC);

        List<String> errors = outageLog.lines().filter(l -> l.contains(" ERROR ")).toList();
        figures.errorLines = errors.size();
        assertThat(errors).as("ERROR lines of the outage").singleElement()
                .satisfies(line -> assertThat(line).contains(JOURNAL_ERROR));
        figures.warnLines = outageLog.lines().filter(l -> l.contains(" WARN ")).toList();
        assertThat(outageMetrics.get("dhcp_lease_store_writable")).isEqualTo(0.0);
        figures.failedWrites = outageMetrics.get("dhcp_lease_journal_write_failures_total{operation=\"append\"}");
        figures.notStored = outageMetrics.get("dhcp_packets_dropped_total{reason=\"lease_not_stored\"}");
        assertThat(figures.failedWrites).isPositive();
        assertThat(figures.notStored).isPositive();

        // Fixed: the clients that kept retransmitting get their leases, without a restart; the state files catch up.
        long repairedAt = System.nanoTime();
        disk.repair(appliance);
        figures.outageSeconds = seconds(repairedAt - failedAt);
        waiting.awaitEvent("bound", 1, DEADLINE);
        figures.resumeSeconds = seconds(System.nanoTime() - repairedAt);
        renewer.awaitEvent("bound", 2, DEADLINE);
        figures.renewerResumeSeconds = seconds(System.nanoTime() - repairedAt);
        assertThat(renewer.address()).as("the renewer's address after the outage").hasValue(renewerIp);
        acked.put(WAITING_VM_MAC, waiting.address().orElseThrow());
        await("lease store writable in the metrics").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> metrics(admin).get("dhcp_lease_store_writable") == 1.0);
        AdminApiCalls.Response edit = admin.call("PUT", "/api/v1/vms/" + EDITED_VM_MAC,
                "{\"ip\": \"10.20.0.70\", \"hostname\": \"edited-vm\"}", true);
        assertThat(edit.status()).as(edit.body()).isEqualTo(201);
        Path view = disk.viewedBy(appliance);
        await("profile assignment and password ack written").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> contains(view.resolve("profile-assignments.json"), WAITING_VM_MAC)
                        && contains(view.resolve("passwords-saved.json"), "i-waf-edge-1"));
        assertThat(appliance.output().substring(mark)).contains("lease journal writable again");

        // A crash now loses nothing that was ACKed.
        appliance.kill(DEADLINE);
        waiting.close();
        renewer.close();
        disk.remountForRestart();
        LeaseJournalFile journal = new LeaseJournalFile(disk.dir());
        assertThat(acked).allSatisfy((mac, ip) -> assertThat(journal.has(ip, mac, "ACTIVE"))
                .as("journal has ACTIVE %s for %s after SIGKILL", ip, mac).isTrue());
        figures.journalLeases = acked.size();

        BackgroundProcess restarted = start(disk.dir());
        AdminApiCalls afterRestart = adminOf(disk.dir());
        JsonNode leases = afterRestart.get("/api/v1/leases");
        assertThat(leases.findValuesAsText("ip")).containsAll(acked.values());
        assertThat(afterRestart.get("/api/v1/vms").findValuesAsText("mac")).contains(EDITED_VM_MAC);
        CloudInitResult second = crawler.crawl(vm(), Datasource.CLOUDSTACK, LAB.newDirectory("crawl-restart"));
        assertThat(second.success()).as("crawl after the restart (log %s)", second.log()).isTrue();
        assertThat(second.password()).as("the password acknowledged during the outage is not served again").isEmpty();
        assertThat(restarted.isAlive()).isTrue();
        return figures;
    }

    /**
     * DORAs from the burner until the journal's first failed write shows in the log; returns the addresses ACKed
     * before it (durable in the journal's last page). Its udhcpc sends no client identifier and no hostname.
     */
    private List<String> takeLeasesUntilAWriteFails(BackgroundProcess appliance, int mark) {
        List<String> acked = new ArrayList<>();
        Pattern obtained = Pattern.compile("lease of (\\S+) obtained");
        for (int run = 0; run < BURNER_RUNS; run++) {
            CommandResult result = burnerHost().namespace().exec(DEADLINE, List.of("udhcpc", "-f", "-n", "-q",
                    "-C", "-i", ClientHost.INTERFACE, "-t", "2", "-T", "1", "-s", "/bin/true"));
            Matcher m = obtained.matcher(result.output());
            if (result.succeeded() && m.find()) {
                acked.add(m.group(1));
            }
            if (appliance.output().substring(mark).contains(JOURNAL_ERROR)) {
                assertThat(result.succeeded()).as("the burner's run that met the failed write was ACKed: %s",
                        result.describe()).isFalse();
                return acked;
            }
        }
        throw new AssertionError("no lease journal write failed after " + BURNER_RUNS + " leases on a broken disk");
    }

    private static BackgroundProcess start(Path stateDir) {
        try {
            return LAB.startServer(ApplianceServer.fromSystemProperty(), NetnsLab.resource("disk-full.yaml"), stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The admin API with a copy of the token, readable while the state dir is unmounted on the host. */
    private static AdminApiCalls adminOf(Path stateDir) {
        Path token = LAB.newDirectory("admin").resolve("admin.token");
        try {
            Files.copy(stateDir.resolve("admin.token"), token);
        } catch (IOException e) {
            throw new UncheckedIOException("the appliance wrote no admin token in " + stateDir, e);
        }
        return new AdminApiCalls(LAB.server(), ADMIN, token);
    }

    /** Samples of /metrics by name with labels, e.g. {@code dhcp_lease_store_writable}. */
    private static Map<String, Double> metrics(AdminApiCalls admin) {
        AdminApiCalls.Response response = admin.call("GET", "/metrics", null, true);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : response.body().lines().toList()) {
            int space = line.lastIndexOf(' ');
            if (!line.startsWith("#") && space > 0) {
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    /**
     * MACs of the journal's whole lines, as a restart would load them. While a write fails, a torn tail may sit past
     * the last whole line until the next write cuts it off.
     */
    private static List<String> journalMacs(Path stateDir) {
        List<String> macs = new ArrayList<>();
        for (JsonNode line : wholeLines(stateDir.resolve("leases.journal"))) {
            macs.add(line.path("mac").asText());
        }
        return macs;
    }

    private static long journalLines(Path stateDir, String mac) {
        return journalMacs(stateDir).stream().filter(mac::equals).count();
    }

    private static List<JsonNode> wholeLines(Path journal) {
        try {
            String text = Files.readString(journal, StandardCharsets.UTF_8);
            String whole = text.substring(0, text.lastIndexOf('\n') + 1);
            List<JsonNode> lines = new ArrayList<>();
            for (String line : whole.lines().skip(1).toList()) {
                lines.add(JSON.readTree(line));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + journal, e);
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static ClientHost renewerHost() {
        return LAB.client(0);
    }

    private static ClientHost burnerHost() {
        return LAB.client(1);
    }

    private static ClientHost newClientHost() {
        return LAB.client(2);
    }

    private static ClientHost vm() {
        return LAB.client(3);
    }

    private static ClientHost waitingVm() {
        return LAB.client(4);
    }

    /** What one episode measured, printed for the issue note. */
    private static final class Figures {
        private final String failure;
        int absorbed;
        long outageAcks;
        int errorLines;
        List<String> warnLines = List.of();
        double failedWrites;
        double notStored;
        double outageSeconds;
        double resumeSeconds;
        double renewerResumeSeconds;
        double crawlSeconds;
        int journalLeases;

        Figures(String failure) {
            this.failure = failure;
        }

        void print() {
            System.out.printf(Locale.ROOT, "DiskFullIT %s: ACKs during outage %d (leases ACKed into the journal's "
                            + "last page before the first failed write: %d); ERROR lines %d; WARN lines %d; failed "
                            + "journal appends %.0f; REQUESTs dropped as lease_not_stored %.0f; outage %.1f s; "
                            + "waiting client bound %.2f s after the repair, renewing client %.2f s; CloudStack crawl "
                            + "during the outage %.1f s; leases ACKed and in the journal after SIGKILL %d%n",
                    failure, outageAcks, absorbed, errorLines, warnLines.size(), failedWrites, notStored,
                    outageSeconds, resumeSeconds, renewerResumeSeconds, crawlSeconds, journalLeases);
            warnLines.forEach(line -> System.out.println("DiskFullIT " + failure + " WARN: " + line));
        }
    }
}
