package lab.dhcp.lease;

import java.io.IOException;
import java.io.InterruptedIOException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import lab.dhcp.MacAddress;

/**
 * The durable lease table: in memory, indexed by IP and by MAC, every change written to its {@link LeaseStore} (by
 * default the {@link LeaseJournal}) before it becomes visible.
 *
 * <p>One record per IP, the latest. A MAC maps to the IP of its latest record; if that IP's record has since gone to
 * another MAC, the old MAC has no record. Readers on any thread see the concurrent maps without locking. Only the
 * store's {@code onDurable} changes them, in store order, after the change is durable and before the caller's future
 * completes; the records to reclaim and the compaction snapshot are taken in store order too, so they see exactly the
 * durable records.
 *
 * <p>Listeners are told on the table's own listener thread ({@value LeaseListeners#THREAD_NAME}), in the same order,
 * after memory changed: the store's thread only writes, forces and updates memory, so a slow listener never delays
 * a commit, and a listener may run shortly after the commit's future has completed.
 */
public final class LeaseTable implements LeaseView, AutoCloseable {

    private final LeaseStore store;
    private final Clock clock;
    private final ConcurrentHashMap<Inet4Address, Lease> leasesByIp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<MacAddress, Inet4Address> ipsByMac = new ConcurrentHashMap<>();
    private final LeaseListeners listeners = new LeaseListeners();
    private final AtomicBoolean opened = new AtomicBoolean();

    /** @param store the store this table loads at {@link #open()} and writes every change to */
    public LeaseTable(LeaseStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Loads the store into memory; every unexpired lease comes back. Records whose time has passed (an active
     * lease or a quarantine) come back as EXPIRED, as {@link #reclaimExpired()} would have made them; released and
     * expired records stay so a returning MAC can get its old address. Throws if the store cannot be read.
     */
    public void open() throws IOException {
        if (!opened.compareAndSet(false, true)) {
            throw new IllegalStateException("lease table already opened from " + store);
        }
        Instant now = clock.instant();
        // No commit can race these puts: the table is handed to its callers only once open() has returned.
        for (Lease lease : store.load()) {
            put(ended(lease, now) ? expired(lease) : lease);
        }
        listeners.start();
    }

    /**
     * Records a change: written to the store and made durable (for the journal: group commit, off the caller's
     * thread), then put in memory (one record per IP; a MAC maps to its latest record), then handed to the listener
     * thread. The future completes after that, so listeners may hear of it shortly after; or it fails with the
     * store's IOException itself, not wrapped (memory is then unchanged and no listener is told):
     * {@link LeaseStoreBusyException}, at once, when the store's queue is full.
     */
    public CompletableFuture<Lease> commit(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        return unwrapped(store.write(lease, () -> apply(lease)), ignored -> lease);
    }

    /**
     * Marks every ACTIVE lease whose time has passed as EXPIRED, and every DECLINED one whose quarantine has ended
     * (the address is free again), written to the store as one batch of EXPIRED records and told to listeners;
     * returns how many changed.
     */
    public CompletableFuture<Integer> reclaimExpired() {
        return unwrapped(store.writeBatch(this::reclaimable, records -> records.forEach(this::apply)), List::size);
    }

    /**
     * Replaces the store's records by a snapshot of the current table (for the journal: a new file, forced, renamed
     * over the old one). The snapshot is taken in store order, so it holds every record made durable before it.
     * Blocks until done.
     */
    public void compact() throws IOException {
        try {
            store.replace(() -> List.copyOf(leasesByIp.values())).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted compacting the lease table in " + store);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("compacting the lease table in " + store + " failed: " + cause, cause);
        }
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
        listeners.add(listener);
    }

    /** Number of records currently held (any state). */
    public int size() {
        return leasesByIp.size();
    }

    /**
     * Drains pending commits and closes the store (later commits fail at once), then waits for the listeners to hear
     * every change made so far (up to {@link LeaseListeners#DRAIN}). Not from a listener.
     */
    @Override
    public void close() throws IOException {
        if (listeners.isListenerThread()) {
            throw new IllegalStateException("a lease listener cannot close the lease table it listens to");
        }
        try {
            store.close();
        } finally {
            listeners.close();
        }
    }

    /** Runs in store order (the batch supplier of {@link #reclaimExpired()}). */
    private List<Lease> reclaimable() {
        Instant now = clock.instant();
        List<Lease> reclaimed = new ArrayList<>();
        for (Lease lease : leasesByIp.values()) {
            if (ended(lease, now)) {
                reclaimed.add(expired(lease));
            }
        }
        return reclaimed;
    }

    /** Runs on the store's thread, in store order, once {@code lease} is durable. */
    private void apply(Lease lease) {
        listeners.tell(put(lease), lease);
    }

    private Optional<Lease> put(Lease lease) {
        Lease before = leasesByIp.put(lease.ip(), lease);
        if (before != null && !before.mac().equals(lease.mac())) {
            ipsByMac.remove(before.mac(), lease.ip());
        }
        ipsByMac.put(lease.mac(), lease.ip());
        return Optional.ofNullable(before);
    }

    /**
     * Like {@code thenApply}, but a failure passes through as the store's own exception instead of a
     * CompletionException, so a caller's {@code handle} can tell a {@link LeaseStoreBusyException} from a broken
     * disk.
     */
    private static <T, R> CompletableFuture<R> unwrapped(CompletableFuture<T> stored, Function<T, R> result) {
        CompletableFuture<R> done = new CompletableFuture<>();
        stored.whenComplete((value, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            try {
                done.complete(result.apply(value));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private static boolean ended(Lease lease, Instant now) {
        return (lease.state() == LeaseState.ACTIVE || lease.state() == LeaseState.DECLINED)
                && !now.isBefore(lease.expires());
    }

    private static Lease expired(Lease lease) {
        return lease.withState(LeaseState.EXPIRED, lease.start(), lease.expires());
    }
}
