package lab.appliance.time;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the system clock with lease time every few seconds and WARNs once per step, naming its size, so an
 * operator who sees lease times offset from the wall clock knows why. Exposes the offset for metrics.
 */
public final class ClockStepWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClockStepWatch.class);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);
    /** NTP slews within milliseconds of the monotonic clock; a second apart is a step, not drift. */
    private static final Duration STEP = Duration.ofSeconds(1);

    private final ElapsedClock leaseTime;
    private final Clock system;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "clock-step-watch");
        t.setDaemon(true);
        return t;
    });
    private volatile Duration offset = Duration.ZERO;

    public ClockStepWatch(ElapsedClock leaseTime, Clock system) {
        this.leaseTime = Objects.requireNonNull(leaseTime, "leaseTime");
        this.system = Objects.requireNonNull(system, "system");
    }

    /** Checks every {@link #CHECK_EVERY} on its own daemon thread. */
    public void start() {
        timer.scheduleWithFixedDelay(this::check, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(),
            TimeUnit.MILLISECONDS);
    }

    /** One comparison; WARNs when the offset moved by a step since the last one reported. */
    void check() {
        Duration now = leaseTime.offsetOf(system.instant());
        Duration moved = now.minus(offset);
        if (moved.abs().compareTo(STEP) >= 0) {
            LOG.warn("system clock stepped by {} s (now {} s from lease time); leases keep counting real elapsed "
                    + "time, and times the appliance shows and writes stay offset from the system clock until it "
                    + "restarts", seconds(moved), seconds(now));
            offset = now;
        }
    }

    /** The system clock's offset from lease time at the last step seen, in seconds. */
    public double offsetSeconds() {
        return offset.toMillis() / 1000.0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%+.3f", d.toMillis() / 1000.0);
    }
}
