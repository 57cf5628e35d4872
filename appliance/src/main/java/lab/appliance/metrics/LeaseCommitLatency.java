package lab.appliance.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import java.time.Duration;
import lab.dhcp.lease.JournalTimings;

/**
 * The lease journal's append-plus-fsync latency as a Prometheus histogram. A separate object because the journal
 * takes it at construction, before the lease table and fleet that {@link ApplianceMetrics} needs exist; the
 * metrics then register it in their registry.
 */
public final class LeaseCommitLatency implements JournalTimings {

    // fsync on a local disk takes from tens of microseconds (write cache) to tens of milliseconds (spinning disk,
    // busy virtual disk); past a second the DHCP client has long retransmitted.
    private static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5};

    private final Histogram histogram = Histogram.builder().name("dhcp_lease_commit_fsync_seconds")
            .help("time to append lease records to the journal and force them to disk, one observation per force "
                    + "(group commit shares one among concurrent ACKs)")
            .classicOnly().classicUpperBounds(BUCKETS).build();

    @Override
    public void appended(int records, Duration took) {
        histogram.observe(took.toNanos() / 1e9);
    }

    Histogram histogram() {
        return histogram;
    }
}
