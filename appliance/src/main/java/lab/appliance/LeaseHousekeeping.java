package lab.appliance;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import lab.dhcp.alloc.PendingOffers;
import lab.dhcp.lease.LeaseTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Timers that keep the lease table tidy: reclaim expired leases and offers, compact the journal. */
final class LeaseHousekeeping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseHousekeeping.class);
    static final Duration RECLAIM_EVERY = Duration.ofSeconds(10);

    private final LeaseTable leases;
    private final PendingOffers offers;
    private final Duration compactEvery;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lease-housekeeping");
        t.setDaemon(true);
        return t;
    });

    LeaseHousekeeping(LeaseTable leases, PendingOffers offers, Duration compactEvery) {
        this.leases = Objects.requireNonNull(leases, "leases");
        this.offers = Objects.requireNonNull(offers, "offers");
        this.compactEvery = Objects.requireNonNull(compactEvery, "compactEvery");
    }

    void start() {
        timer.scheduleWithFixedDelay(this::reclaim, RECLAIM_EVERY.toMillis(), RECLAIM_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::compact, compactEvery.toMillis(), compactEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reclaim() {
        try {
            offers.purgeExpired();
            leases.reclaimExpired().get();
        } catch (ExecutionException e) {
            failed("lease reclaim failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close() stops the timer
        } catch (RuntimeException e) {
            failed("lease reclaim failed", e);
        }
    }

    private void compact() {
        try {
            leases.compact();
        } catch (IOException | RuntimeException e) {
            failed("journal compaction failed, the old journal stays in use", e);
        }
    }

    /**
     * A store that cannot write (a full or read-only disk) has said so itself, once per outage; repeating it every
     * 10 s here would bury that line. Anything else is ours to report.
     */
    private static void failed(String what, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("{}: {}", what, cause.toString());
        } else {
            LOG.error("{}: {}", what, String.valueOf(cause), cause);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
