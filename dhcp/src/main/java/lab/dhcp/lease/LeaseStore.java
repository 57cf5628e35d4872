package lab.dhcp.lease;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The durable record of lease changes that {@link LeaseTable} loads at open and writes every change to first. */
public interface LeaseStore extends AutoCloseable {

    /**
     * Reads every stored record in store order: a later record for an IP supersedes an earlier one (a store may
     * return only the latest per IP). Every field comes back as written, times at least to the millisecond. Called
     * once, before any write; throws, naming the store, if it is unusable.
     */
    List<Lease> load() throws IOException;

    /**
     * Durably writes one record: once it is on disk (committed), {@code onDurable} runs and then the future
     * completes. If it cannot be made durable the future fails with an IOException naming the store,
     * {@code onDurable} never runs and the store drops whatever the attempt left behind, so a load after a later
     * write or a close does not return the record (after a crash before either it may: the outcome of a write that
     * failed mid-way is unknown, as that of a database COMMIT whose reply was lost).
     *
     * <p>Store order: writes, batches and replacements take their place in one sequence in the order they are
     * called. Every {@code onDurable} runs in that order, one at a time, on the store's thread, before its future
     * completes; so a caller that updates memory in {@code onDurable} keeps memory in store order.
     *
     * <p>Fails at once with {@link LeaseStoreBusyException} when the store's queue is full (the caller may drop the
     * request; a DHCP client retries), and with an IOException once the store is closed.
     *
     * <p>A store reports its own write failures, once per outage rather than once per write, and keeps trying later
     * writes, so that it recovers by itself; callers say what the failure cost them at DEBUG only.
     */
    CompletableFuture<Void> write(Lease record, Runnable onDurable);

    /**
     * Durably writes the records {@code batch} returns, all or none. {@code batch} is called at the batch's place in
     * store order, after every earlier {@code onDurable} ran and before any later write is durable, so records
     * derived from memory there (reclaiming expired leases) cannot overwrite a change made durable meanwhile.
     * {@code onDurable} then gets the records, as for {@link #write}. An empty batch writes nothing. The future yields
     * the records written; it fails as {@link #write} does.
     */
    CompletableFuture<List<Lease>> writeBatch(Supplier<List<Lease>> batch, Consumer<List<Lease>> onDurable);

    /**
     * Replaces the stored records by {@code snapshot} (compaction). {@code snapshot} is called at its place in store
     * order, so taken from memory kept by {@code onDurable} it holds every record made durable before it. A store
     * that does not grow with every write (one row per IP) may complete without calling it. Fails as {@link #write}.
     */
    CompletableFuture<Void> replace(Supplier<Collection<Lease>> snapshot);

    /**
     * Drains pending writes (their futures complete), then releases the store; later writes fail at once with an
     * IOException naming the store. Closing again does nothing.
     */
    @Override
    void close() throws IOException;
}
