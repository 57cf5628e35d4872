package lab.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lab.appliance.netns.AdminApiCalls;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.Executables;
import lab.appliance.netns.LeaseJournalFile;
import lab.appliance.netns.NetnsLab;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * perfdhcp storms the appliance while it is killed with SIGKILL at seeded random moments, some of them in the middle
 * of a journal compaction; after every restart on the same state directory, every lease a captured DHCPACK promised
 * (since the first storm) is in the lease table, by the admin API and by the journal file, and no address is held
 * twice.
 *
 * <p>Each round: tcpdump starts capturing in the storm's namespace, perfdhcp (as a relay, new MACs each round with an
 * overlap, so returning clients ask for leases that survived the last crash) storms, the kill lands, perfdhcp and
 * tcpdump stop, tshark reads the ACKs out of the capture, the appliance starts again and its table is audited. A kill
 * waits for a compaction by watching for the compaction file; that the file was still there once the process was
 * dead, and that the restart discarded it, shows the kill landed inside the compaction.
 *
 * <p>System properties {@code crash-storm.seed}, {@code crash-storm.kills} and {@code crash-storm.rate} replay or
 * enlarge a run; the seed is printed first.
 */
@Tag("netns")
class CrashStormIT {

    private static final int KILLS = Integer.getInteger("crash-storm.kills", 10);
    private static final int RATE = Integer.getInteger("crash-storm.rate", 2000);
    private static final Duration EARLIEST = Duration.ofMillis(400);
    private static final Duration LATEST = Duration.ofMillis(3500);
    private static final int COMPACTION_EVERY = 3;
    /** The config compacts every second, so one begins well within this. */
    private static final Duration COMPACTION_WAIT = Duration.ofSeconds(3);
    /** perfdhcp's own limit; the kill always comes first. */
    private static final Duration STORM_BOUND = LATEST.plus(COMPACTION_WAIT).plusSeconds(4);
    /** Each round's MACs start this far past the last round's, so a long round's later MACs come back next round. */
    private static final int MAC_STEP = 1500;
    private static final int POOL_SIZE = 65_024;
    private static final String RELAY_ADDRESS = "10.20.0.2";
    private static final String SERVER_ADDRESS = "10.20.0.1";
    private static final Map<String, String> TOOLS =
            Map.of("perfdhcp", "kea-admin", "tcpdump", "tcpdump", "tshark", "tshark");

    /** One namespace for perfdhcp and tcpdump; the appliance runs in the lab's server namespace. */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(1);

    @Test
    void sigkillsDuringAStormLoseNoAckedLease() throws IOException {
        // Root, or NetnsLab would have skipped: CI installs these, so their absence is a broken setup, not a skip.
        TOOLS.forEach((tool, pkg) -> assertThat(Executables.onPath(tool))
                .as("%s is not installed (Debian package %s; scripts/install-deps.sh installs it)", tool, pkg)
                .isTrue());
        int clientsPerStorm = (int) (RATE * STORM_BOUND.toSeconds());
        assertThat(KILLS * MAC_STEP + clientsPerStorm).as("MACs the storms use, within the pool of %d", POOL_SIZE)
                .isLessThan(POOL_SIZE);

        long seed = Long.getLong("crash-storm.seed", System.nanoTime());
        KillPlan plan = KillPlan.draw(seed, KILLS, EARLIEST, LATEST, COMPACTION_EVERY);
        System.out.printf("crash storm: %d kills at %d DORA/s, plan %s (-Dcrash-storm.seed=%d replays it)%n",
                KILLS, RATE, plan, seed);

        ClientHost stormHost = LAB.client(0);
        stormHost.namespace().exec("ip", "addr", "add", RELAY_ADDRESS + "/16", "dev", ClientHost.INTERFACE)
                .requireSuccess();
        Path stateDir = LAB.newDirectory("state");
        AdminApiCalls admin = new AdminApiCalls(LAB.server(), "http://127.0.0.1:8807", stateDir.resolve("admin.token"));
        LeaseJournalFile journal = new LeaseJournalFile(stateDir);
        LeaseLedger ledger = new LeaseLedger();
        List<KillOutcome> outcomes = new ArrayList<>();
        long started = System.nanoTime();

        BackgroundProcess appliance = startAppliance(stateDir);
        System.out.println(KillOutcome.HEADER);
        for (KillPlan.Moment planned : plan.moments()) {
            KillPlan.Moment moment = planned;
            boolean last = planned.number() == KILLS;
            if (last && !moment.atCompaction() && outcomes.stream().noneMatch(o -> o.crash().compactionInProgress())) {
                // No kill has landed inside a compaction yet: the last one waits for one.
                moment = new KillPlan.Moment(planned.number(), planned.delay(), true);
            }
            Path round = LAB.newDirectory("kill-" + moment.number());
            AckCapture capture = AckCapture.start(LAB, stormHost.namespace(), ClientHost.INTERFACE, SERVER_ADDRESS,
                    round.resolve("acks.pcap"));
            long macBase = PerfdhcpStorm.FIRST_MAC + (long) (moment.number() - 1) * MAC_STEP;
            Crash crash;
            try (PerfdhcpStorm storm = PerfdhcpStorm.start(LAB, stormHost.namespace(), RELAY_ADDRESS, SERVER_ADDRESS,
                    macBase, clientsPerStorm, RATE, STORM_BOUND, round.resolve("perfdhcp.out"))) {
                crash = Crash.land(appliance, moment, System.nanoTime(), stateDir, COMPACTION_WAIT);
            }
            AckCapture.Result captured = capture.stop();
            ledger.record(captured.acks());

            appliance = startAppliance(stateDir);
            KillOutcome outcome = new KillOutcome(crash, captured.acks().size(), captured.missed(),
                    JournalLoad.from(appliance.output()), ledger.audit(HeldLeases.fromAdminApi(admin)),
                    ledger.audit(HeldLeases.fromJournal(journal)));
            outcomes.add(outcome);
            System.out.println(outcome.line());
        }
        long drops = outcomes.stream().mapToLong(KillOutcome::captureMissed).sum();
        System.out.printf("crash storm: %d kills in %d s, %d distinct leases ACKed, %d packets the capture "
                + "missed, %d kills inside a compaction%n", KILLS,
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), ledger.size(), drops,
                outcomes.stream().filter(o -> o.crash().compactionInProgress()).count());

        String table = KillOutcome.HEADER + "\n" + String.join("\n", outcomes.stream().map(KillOutcome::line).toList())
                + "\n(seed " + seed + ")";
        assertThat(ledger.size()).as("leases ACKed during the storms\n%s", table).isPositive();
        assertThat(outcomes).as("kills that lost or doubled an ACKed lease, or left a journal with skipped lines\n%s",
                table).allSatisfy(outcome -> assertThat(outcome.clean())
                        .as("kill %s: api %s; journal %s", outcome.crash().moment(), outcome.api().sample(5),
                                outcome.journal().sample(5))
                        .isTrue());
        assertThat(outcomes).as("a kill that landed inside a journal compaction\n%s", table)
                .anySatisfy(outcome -> assertThat(outcome.crash().compactionInProgress()).isTrue());
        assertThat(outcomes).as("a compaction file left by a kill is discarded at the next start\n%s", table)
                .allSatisfy(outcome -> assertThat(outcome.load().discardedCompaction())
                        .isEqualTo(outcome.crash().compactionInProgress()));
    }

    private static BackgroundProcess startAppliance(Path stateDir) throws IOException {
        return LAB.startServer(ApplianceServer.fromSystemProperty(), NetnsLab.resource("crash-storm.yaml"), stateDir);
    }
}
