package lab.dhcp.engine;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseStore;

/**
 * A lease store that hands everything to a real one, except that while {@code failing} is set every write fails as
 * the journal's does on a full disk: an IOException, nothing applied.
 */
final class FailingLeaseStore implements LeaseStore {

    private final LeaseStore delegate;
    private final AtomicBoolean failing;

    FailingLeaseStore(LeaseStore delegate, AtomicBoolean failing) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.failing = Objects.requireNonNull(failing, "failing");
    }

    @Override
    public List<Lease> load() throws IOException {
        return delegate.load();
    }

    @Override
    public CompletableFuture<Void> write(Lease record, Runnable onDurable) {
        return failing.get() ? full() : delegate.write(record, onDurable);
    }

    @Override
    public CompletableFuture<List<Lease>> writeBatch(Supplier<List<Lease>> batch, Consumer<List<Lease>> onDurable) {
        return failing.get() ? full() : delegate.writeBatch(batch, onDurable);
    }

    @Override
    public CompletableFuture<Void> replace(Supplier<Collection<Lease>> snapshot) {
        return failing.get() ? full() : delegate.replace(snapshot);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    private static <T> CompletableFuture<T> full() {
        return CompletableFuture.failedFuture(new IOException("cannot write lease journal (test): No space left on device"));
    }
}
