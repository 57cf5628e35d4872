package lab.dhcp.lease;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease table's listeners and the one daemon thread, {@value #THREAD_NAME}, that tells them of each change.
 *
 * <p>The store's thread hands each durable change over in store order and goes back to writing; this thread tells
 * every listener, one change at a time in that order, so listeners still see changes in order but none of them
 * (a log line, metrics, rebuilding a VM's metadata) delays a commit. The hand-over queue is unbounded on purpose:
 * bounding it would make the store's thread wait for a listener or drop a change; it grows only while listeners are
 * slower than the disk.
 */
final class LeaseListeners implements AutoCloseable {

    static final String THREAD_NAME = "lease-listeners";
    /** How long close() waits for the changes still queued; listeners return quickly, so only a hung one takes it. */
    static final Duration DRAIN = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(LeaseListeners.class);

    private final Object lifecycle = new Object();
    /**
     * Replaced, never changed, on every add: each change carries the array it was handed over with, so a listener
     * hears exactly the changes made durable after it was added, as when listeners ran on the store's thread.
     */
    private volatile LeaseListener[] listeners = new LeaseListener[0];
    private volatile ExecutorService executor;
    private volatile Thread thread;

    void add(LeaseListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lifecycle) {
            LeaseListener[] more = Arrays.copyOf(listeners, listeners.length + 1);
            more[more.length - 1] = listener;
            listeners = more;
        }
    }

    /** Starts the thread; changes handed over before this are refused. */
    void start() {
        synchronized (lifecycle) {
            if (executor != null) {
                throw new IllegalStateException("lease listeners already started");
            }
            executor = Executors.newSingleThreadExecutor(runnable -> {
                Thread t = new Thread(runnable, THREAD_NAME);
                t.setDaemon(true);
                thread = t;
                return t;
            });
        }
    }

    /** Queues a change for the listeners; called on the store's thread, in store order, and never blocks. */
    void tell(Optional<Lease> before, Lease after) {
        ExecutorService current = executor;
        if (current == null) {
            throw new IllegalStateException("lease listeners not started, change at ip=" + after.ip().getHostAddress());
        }
        LeaseListener[] told = listeners;
        if (told.length == 0) {
            return;
        }
        try {
            current.execute(() -> tellEach(told, before, after));
        } catch (RejectedExecutionException e) {
            // Only a store that applies a write after its close() returned gets here; the change is durable anyway.
            log.warn("lease change not told, listeners are closed ip={} mac={}", after.ip().getHostAddress(),
                    after.mac());
        }
    }

    /** True on the listener thread, where waiting for the listeners would wait for itself. */
    boolean isListenerThread() {
        return Thread.currentThread() == thread;
    }

    /** Tells the listeners every change queued so far, waiting up to {@link #DRAIN}; later changes are refused. */
    @Override
    public void close() throws InterruptedIOException {
        ExecutorService current = executor;
        if (current == null) {
            return;
        }
        if (isListenerThread()) {
            throw new IllegalStateException("a lease listener cannot close the lease table it listens to");
        }
        current.shutdown();
        try {
            if (!current.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
                int untold = current.shutdownNow().size();
                log.warn("lease listeners still busy after {} s, stopped them untold_changes={}", DRAIN.toSeconds(),
                        untold);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            current.shutdownNow();
            throw new InterruptedIOException("interrupted while lease listeners were told the last changes");
        }
    }

    private static void tellEach(LeaseListener[] told, Optional<Lease> before, Lease after) {
        for (LeaseListener listener : told) {
            try {
                listener.leaseChanged(before, after);
            } catch (RuntimeException e) {
                log.warn("lease listener failed listener={} ip={} mac={}", listener, after.ip().getHostAddress(),
                        after.mac(), e);
            }
        }
    }
}
