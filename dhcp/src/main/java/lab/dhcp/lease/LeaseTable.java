package lab.dhcp.lease;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import lab.dhcp.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable lease table: in memory, indexed by IP and by MAC, every change journaled and forced to disk before it
 * becomes visible.
 *
 * <p>One record per IP, the latest. A MAC maps to the IP of its latest record; if that IP's record has since gone to
 * another MAC, the old MAC has no record. Readers on any thread see the concurrent maps without locking. Only the
 * journal's writer thread changes them, after the change is forced and before the caller's future completes; so
 * work queued on that thread (compaction, reclaiming) sees exactly the durable records.
 */
public final class LeaseTable implements LeaseView, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseTable.class);

    private final LeaseJournal journal;
    private final Clock clock;
    private final ConcurrentHashMap<Inet4Address, Lease> leasesByIp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<MacAddress, Inet4Address> ipsByMac = new ConcurrentHashMap<>();
    private final List<LeaseListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean opened = new AtomicBoolean();

    /** @param journal the journal this table replays at {@link #open()} and appends to on every commit */
    public LeaseTable(LeaseJournal journal, Clock clock) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Replays the journal into memory; every unexpired lease comes back. Records whose time has passed (an active
     * lease or a quarantine) come back as EXPIRED, as {@link #reclaimExpired()} would have made them; released and
     * expired records stay so a returning MAC can get its old address. Throws if the journal cannot be read.
     */
    public void open() throws IOException {
        if (!opened.compareAndSet(false, true)) {
            throw new IllegalStateException("lease table already opened from " + journal.path());
        }
        Instant now = clock.instant();
        // Still single-threaded: the writer thread has started but nothing can be queued before open() returns.
        for (Lease lease : journal.replay()) {
            put(ended(lease, now) ? expired(lease) : lease);
        }
    }

    /**
     * Records a change: appended to the journal and forced (group commit, off the caller's thread), then put in
     * memory (one record per IP; a MAC maps to its latest record), then listeners are told. The future completes
     * after all that, or exceptionally if the write failed (memory is then unchanged).
     */
    public CompletableFuture<Lease> commit(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        return journal.append(lease, () -> apply(lease)).thenApply(ignored -> lease);
    }

    /**
     * Marks every ACTIVE lease whose time has passed as EXPIRED, and every DECLINED one whose quarantine has ended
     * (the address is free again), each journaled as an EXPIRED line and told to listeners; returns how many changed.
     */
    public CompletableFuture<Integer> reclaimExpired() {
        return journal.submit(writer -> {
            Instant now = clock.instant();
            List<Lease> reclaimed = new ArrayList<>();
            for (Lease lease : leasesByIp.values()) {
                if (ended(lease, now)) {
                    reclaimed.add(expired(lease));
                }
            }
            if (reclaimed.isEmpty()) {
                return 0;
            }
            writer.appendRecords(reclaimed);
            reclaimed.forEach(this::apply);
            return reclaimed.size();
        });
    }

    /**
     * Rewrites the journal as a snapshot of the current table (new file, forced, renamed over the old one). The
     * snapshot is taken on the journal's thread, so it holds every record made durable before it. Blocks until done.
     */
    public void compact() throws IOException {
        journal.await(journal.submit(writer -> {
            writer.rewrite(List.copyOf(leasesByIp.values()));
            return null;
        }));
    }

    @Override
    public Optional<Lease> byIp(Inet4Address ip) {
        return Optional.ofNullable(leasesByIp.get(ip));
    }

    @Override
    public Optional<Lease> byMac(MacAddress mac) {
        Inet4Address ip = ipsByMac.get(mac);
        if (ip == null) {
            return Optional.empty();
        }
        // Re-checked because a reader can run between the two map updates in apply().
        return byIp(ip).filter(lease -> lease.mac().equals(mac));
    }

    @Override
    public Optional<Lease> activeByIp(Inet4Address ip) {
        Instant now = clock.instant();
        return byIp(ip).filter(lease -> lease.isActiveAt(now));
    }

    @Override
    public Collection<Lease> all() {
        return List.copyOf(leasesByIp.values());
    }

    @Override
    public void addListener(LeaseListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Number of records currently held (any state). */
    public int size() {
        return leasesByIp.size();
    }

    /** Drains pending commits, closes the journal; later commits fail at once. */
    @Override
    public void close() throws IOException {
        journal.close();
    }

    /** Runs on the writer thread once {@code lease} is durable. */
    private void apply(Lease lease) {
        Optional<Lease> before = put(lease);
        for (LeaseListener listener : listeners) {
            try {
                listener.leaseChanged(before, lease);
            } catch (RuntimeException e) {
                log.warn("lease listener failed listener={} ip={} mac={}", listener, lease.ip().getHostAddress(),
                        lease.mac(), e);
            }
        }
    }

    private Optional<Lease> put(Lease lease) {
        Lease before = leasesByIp.put(lease.ip(), lease);
        if (before != null && !before.mac().equals(lease.mac())) {
            ipsByMac.remove(before.mac(), lease.ip());
        }
        ipsByMac.put(lease.mac(), lease.ip());
        return Optional.ofNullable(before);
    }

    private static boolean ended(Lease lease, Instant now) {
        return (lease.state() == LeaseState.ACTIVE || lease.state() == LeaseState.DECLINED)
                && !now.isBefore(lease.expires());
    }

    private static Lease expired(Lease lease) {
        return lease.withState(LeaseState.EXPIRED, lease.start(), lease.expires());
    }
}
