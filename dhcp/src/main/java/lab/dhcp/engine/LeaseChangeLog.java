package lab.dhcp.engine;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseListener;
import lab.dhcp.lease.LeaseState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the one INFO line per lease state change that operators grep for, once the change is durable, up to
 * {@value #LINES_PER_SECOND} a second. Beyond that (a flood: nobody reads thousands of lines a second, and writing
 * them took a tenth of the one core) the rest of that second is counted and told in one line when the next line
 * is written; the journal and the admin API still have every lease.
 */
public final class LeaseChangeLog implements LeaseListener {

    /** More than a 100-VM fleet booting within a second. */
    static final int LINES_PER_SECOND = 200;

    private static final Logger LOG = LoggerFactory.getLogger(LeaseChangeLog.class);

    private final Clock clock;
    private long second = Long.MIN_VALUE;
    private int written;
    private long suppressed;

    public LeaseChangeLog(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized void leaseChanged(Optional<Lease> before, Lease after) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        long now = clock.millis() / 1000;
        if (now != second) {
            if (suppressed > 0) {
                LOG.info("lease lines suppressed count={} (more than {} lease changes a second)", suppressed,
                        LINES_PER_SECOND);
            }
            second = now;
            written = 0;
            suppressed = 0;
        }
        if (written >= LINES_PER_SECOND) {
            suppressed++;
            return;
        }
        written++;
        String what = switch (after.state()) {
            case ACTIVE -> before.filter(b -> b.state() == LeaseState.ACTIVE && b.mac().equals(after.mac())).isPresent()
                    ? "lease renewed" : "lease committed";
            case RELEASED -> "lease released";
            case DECLINED -> "lease declined";
            case EXPIRED -> "lease expired";
        };
        LOG.info("{} mac={} ip={} hostname={} expires_in={}", what, after.mac(), after.ip().getHostAddress(),
                after.hostname().isEmpty() ? "-" : after.hostname(),
                Math.max(0, after.expires().getEpochSecond() - after.start().getEpochSecond()));
    }

    /** Lines not written in the current second so far. */
    synchronized long suppressedThisSecond() {
        return suppressed;
    }
}
