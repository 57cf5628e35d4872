package lab.dhcp.lease;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread a {@link LeaseStore} writes on, and so its store order: a bounded queue of single records and of
 * actions (batches, compactions). Each round it takes everything queued (at most {@value #MAX_ROUND}) and commits the
 * single records among it together (group commit: one force, one COMMIT), then runs each one's {@code onDurable} and
 * completes its future, in queue order; an action runs at its place, after every record queued before it is durable.
 * A full queue refuses at once ({@link LeaseStoreBusyException}); after {@link #close()} began everything is refused,
 * and what was accepted is drained first.
 *
 * @param <R> a record as the store commits it (an encoded journal line, a lease row)
 */
public final class StoreWriterThread<R> {

    /** Commits single records as one group, all or none. */
    @FunctionalInterface
    public interface GroupCommit<R> {
        void commit(List<R> records) throws IOException;
    }

    /** Work run on the writer thread at its place in store order. */
    @FunctionalInterface
    public interface Action<T> {
        T run() throws IOException;
    }

    /** Upper bound of tasks taken per round, so one commit never waits for an unbounded group. */
    static final int MAX_ROUND = 4096;
    private static final Logger log = LoggerFactory.getLogger(StoreWriterThread.class);

    private sealed interface Task permits Put, Run, Shutdown {
    }

    private record Put<R>(R record, Runnable onDurable, CompletableFuture<Void> done) implements Task {
    }

    private record Run<T>(Action<T> action, CompletableFuture<T> done) implements Task {
        void run() {
            try {
                done.complete(action.run());
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }
    }

    private record Shutdown() implements Task {
    }

    private final String threadName;
    private final String storeName;
    private final int capacity;
    private final GroupCommit<R> commit;
    private final Runnable onStop;
    private final BlockingQueue<Task> queue;
    private final LongAdder busyRejections = new LongAdder();
    private final Object lifecycle = new Object();
    private Thread thread;
    private boolean closed;

    /**
     * @param storeName what errors call the store ("lease journal /var/lib/appliance/leases.journal")
     * @param onStop    runs on the writer thread after the last task, to release the store's file or connection
     */
    public StoreWriterThread(String threadName, String storeName, int capacity, GroupCommit<R> commit,
                             Runnable onStop) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity " + capacity + " is not positive");
        }
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.capacity = capacity;
        this.commit = Objects.requireNonNull(commit, "commit");
        this.onStop = Objects.requireNonNull(onStop, "onStop");
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    /** Starts the thread; once only, and never after close. */
    public void start() {
        synchronized (lifecycle) {
            if (thread != null || closed) {
                throw new IllegalStateException(storeName + " was already opened");
            }
            thread = new Thread(this::runWriter, threadName);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Queues one record for the next group commit. */
    public CompletableFuture<Void> put(R record, Runnable onDurable) {
        Objects.requireNonNull(onDurable, "onDurable");
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Put<>(record, onDurable, done), done);
        return done;
    }

    /** Queues an action, run alone at its place in store order. */
    public <T> CompletableFuture<T> submit(Action<T> action) {
        Objects.requireNonNull(action, "action");
        CompletableFuture<T> done = new CompletableFuture<>();
        enqueue(new Run<>(action, done), done);
        return done;
    }

    /** Writes refused with {@link LeaseStoreBusyException} so far. */
    public long busyRejections() {
        return busyRejections.sum();
    }

    /** Refuses new writes, drains the accepted ones, runs {@code onStop} and waits for the thread to end. */
    public void close() throws IOException {
        Thread writerThread;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            writerThread = thread;
            if (writerThread == null) {
                return;
            }
            if (Thread.currentThread() == writerThread) {
                throw new IllegalStateException(storeName + " cannot be closed from its own thread");
            }
        }
        try {
            // Outside the lock, as it may wait for room: the writer thread makes some, and with closed set nothing
            // else is queued, so the shutdown lands after every write that was accepted.
            queue.put(new Shutdown());
            writerThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted closing " + storeName);
        }
    }

    private void enqueue(Task task, CompletableFuture<?> done) {
        synchronized (lifecycle) {
            if (closed) {
                done.completeExceptionally(new IOException(storeName + " is closed"));
            } else if (thread == null) {
                done.completeExceptionally(new IOException(storeName + " is not open yet"));
            } else if (!queue.offer(task)) {
                busyRejections.increment();
                done.completeExceptionally(new LeaseStoreBusyException(storeName, capacity));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void runWriter() {
        List<Task> round = new ArrayList<>();
        List<Put<R>> group = new ArrayList<>();
        boolean running = true;
        while (running) {
            try {
                round.add(queue.take());
            } catch (InterruptedException e) {
                // Nobody interrupts this thread but a JVM shutdown; the pending futures stay incomplete then.
                log.warn("store writer thread interrupted, stopping store=\"{}\"", storeName);
                return;
            }
            queue.drainTo(round, MAX_ROUND - 1);
            for (Task task : round) {
                if (task instanceof Put<?> put) {
                    group.add((Put<R>) put);
                    continue;
                }
                flush(group);
                if (task instanceof Run<?> run) {
                    run.run();
                } else {
                    running = false;
                }
            }
            flush(group);
            round.clear();
        }
        onStop.run();
    }

    private void flush(List<Put<R>> group) {
        if (group.isEmpty()) {
            return;
        }
        List<R> records = new ArrayList<>(group.size());
        for (Put<R> put : group) {
            records.add(put.record());
        }
        try {
            commit.commit(records);
        } catch (IOException | RuntimeException e) {
            for (Put<R> put : group) {
                put.done().completeExceptionally(e);
            }
            group.clear();
            return;
        }
        for (Put<R> put : group) {
            try {
                put.onDurable().run();
                put.done().complete(null);
            } catch (RuntimeException e) {
                log.error("applying a durable lease record failed store=\"{}\"", storeName, e);
                put.done().completeExceptionally(e);
            }
        }
        group.clear();
    }
}
