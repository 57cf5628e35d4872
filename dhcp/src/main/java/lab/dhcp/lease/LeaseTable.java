package lab.dhcp.lease;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import lab.dhcp.MacAddress;

/**
 * The durable lease table: in memory, indexed by IP and by MAC, every change journaled and forced to disk before it
 * becomes visible. CONTRACT SKELETON: the lease-package work replaces these bodies.
 */
public final class LeaseTable implements LeaseView, AutoCloseable {

    /** @param journal the journal this table replays at {@link #open()} and appends to on every commit */
    public LeaseTable(LeaseJournal journal, Clock clock) {
        throw new UnsupportedOperationException("not implemented");
    }

    /** Replays the journal into memory; every unexpired lease comes back. Throws if the journal cannot be read. */
    public void open() throws IOException {
        throw new UnsupportedOperationException("not implemented");
    }

    /**
     * Records a change: appended to the journal and forced (group commit, off the caller's thread), then put in
     * memory (one record per IP; a MAC maps to its latest record), then listeners are told. The future completes
     * after all that, or exceptionally if the write failed (memory is then unchanged).
     */
    public CompletableFuture<Lease> commit(Lease lease) {
        throw new UnsupportedOperationException("not implemented");
    }

    /** Marks every ACTIVE lease whose time has passed as EXPIRED (journaled) and forgets ended quarantines; returns how many changed. */
    public CompletableFuture<Integer> reclaimExpired() {
        throw new UnsupportedOperationException("not implemented");
    }

    /** Rewrites the journal as a snapshot of the current table (new file, forced, renamed over the old one). */
    public void compact() throws IOException {
        throw new UnsupportedOperationException("not implemented");
    }

    @Override public Optional<Lease> byIp(Inet4Address ip) { throw new UnsupportedOperationException("not implemented"); }
    @Override public Optional<Lease> byMac(MacAddress mac) { throw new UnsupportedOperationException("not implemented"); }
    @Override public Optional<Lease> activeByIp(Inet4Address ip) { throw new UnsupportedOperationException("not implemented"); }
    @Override public Collection<Lease> all() { throw new UnsupportedOperationException("not implemented"); }
    @Override public void addListener(LeaseListener listener) { throw new UnsupportedOperationException("not implemented"); }

    /** Number of records currently held (any state). */
    public int size() { throw new UnsupportedOperationException("not implemented"); }

    @Override
    public void close() throws IOException {
        throw new UnsupportedOperationException("not implemented");
    }

}
