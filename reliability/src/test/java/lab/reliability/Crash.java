package lab.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import lab.appliance.netns.BackgroundProcess;
import lab.dhcp.lease.LeaseJournal;

/**
 * A SIGKILL of the appliance at a planned moment of a storm, and what its state directory held when it landed.
 *
 * @param moment               the planned moment
 * @param landedAfter          time from the storm's start to the signal
 * @param sawCompaction        the kill waited for a compaction and saw its file appear
 * @param compactionInProgress the compaction file ({@value LeaseJournal#COMPACT_NAME}) was there once the process
 *                             was dead: the kill landed after a compaction began and before it was renamed over the
 *                             journal
 * @param compactBytes         that file's size, 0 when absent
 * @param exitStatus           the process's exit status (137 for a SIGKILL)
 */
record Crash(KillPlan.Moment moment, Duration landedAfter, boolean sawCompaction, boolean compactionInProgress,
        long compactBytes, int exitStatus) {

    /** 128 + 9: how a process killed by SIGKILL exits. */
    static final int SIGKILLED = 137;

    /**
     * Waits for {@code moment} (counted from {@code stormStartNanos}, a {@link System#nanoTime()}), for a compaction
     * to begin if the moment asks for one (at most {@code compactionWait}), then sends SIGKILL to the appliance's
     * PID and waits for it to be reaped. Fails if the appliance died before it was killed.
     */
    static Crash land(BackgroundProcess appliance, KillPlan.Moment moment, long stormStartNanos, Path stateDir,
            Duration compactionWait) throws IOException {
        Path compactFile = stateDir.resolve(LeaseJournal.COMPACT_NAME);
        sleepUntil(stormStartNanos + moment.delay().toNanos());
        boolean saw = moment.atCompaction() && awaitFile(compactFile, compactionWait);
        if (!appliance.isAlive()) {
            throw new IllegalStateException("the appliance died on its own before kill " + moment + ":\n"
                    + appliance.output());
        }
        // Straight from this JVM (no kill(1) to fork): a compaction lasts tens of milliseconds.
        ProcessHandle.of(appliance.pid()).ifPresent(ProcessHandle::destroyForcibly);
        Duration landedAfter = Duration.ofNanos(System.nanoTime() - stormStartNanos);
        int exitStatus = appliance.awaitExit(Duration.ofSeconds(30));
        boolean inProgress = Files.exists(compactFile);
        long bytes = inProgress ? Files.size(compactFile) : 0;
        return new Crash(moment, landedAfter, saw, inProgress, bytes, exitStatus);
    }

    private static void sleepUntil(long deadlineNanos) {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** Polls every 0.1 ms: a compaction of a few thousand leases is over in about 10 ms. */
    private static boolean awaitFile(Path file, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        return false;
    }
}
