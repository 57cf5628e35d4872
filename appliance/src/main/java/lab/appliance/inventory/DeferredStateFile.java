package lab.appliance.inventory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import lab.appliance.state.StateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small state file kept in memory and rewritten whole on a thread of its own, so that no caller (a DHCP event loop,
 * an HTTP handler) waits for the disk. {@link #changed()} asks for a write of the content as it is when the write runs,
 * at most {@code delay} later, so the changes of a burst share one write.
 *
 * <p>A write that fails (a full or read-only disk) leaves the old file whole ({@link StateFile}); the change stays in
 * memory and the write is retried every {@code retry} until it sticks, so the file catches up by itself once the disk
 * is back. The outage is logged at WARN once (nothing is refused or lost yet, and the ERROR of a full disk is the
 * lease journal's, which stops ACKs), at DEBUG while it lasts, and at INFO when a write succeeds again.
 * {@link #close()} makes one last attempt at once; only what that one cannot write is lost, and said so at ERROR.
 */
final class DeferredStateFile implements AutoCloseable {

    /** How often a failed write is tried again: often enough to catch up soon after space returns, cheap if not. */
    static final Duration RETRY = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(DeferredStateFile.class);

    private final Path file;
    private final String what;
    private final Supplier<byte[]> content;
    private final Duration delay;
    private final Duration retry;
    private final StateFileWriter writer;
    private final ScheduledThreadPoolExecutor thread;
    /** A write is scheduled and has not taken the content yet; a change meanwhile needs no write of its own. */
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Written on the file's thread only, and read by close() after that thread has stopped. */
    private int failedAttempts;
    private long failingSinceNanos;

    /**
     * @param what    what the file holds, for log lines ("profile assignments")
     * @param content the whole file as it should be now; called on the file's thread, so it must lock what it reads
     */
    DeferredStateFile(Path file, String what, Supplier<byte[]> content, Duration delay, Duration retry,
                      StateFileWriter writer) {
        this.file = Objects.requireNonNull(file, "file");
        this.what = Objects.requireNonNull(what, "what");
        this.content = Objects.requireNonNull(content, "content");
        this.delay = Objects.requireNonNull(delay, "delay");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.writer = Objects.requireNonNull(writer, "writer");
        String name = file.getFileName().toString();
        this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "state-file-" + name);
            t.setDaemon(true);
            return t;
        });
        // A retry due later is dropped at close, which makes one last attempt of its own at once.
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** The content changed: it is written within {@code delay}. */
    void changed() {
        if (queued.compareAndSet(false, true)) {
            schedule(delay);
        }
    }

    /** Writes what is not written yet, once, then stops the file's thread. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(this::lastWrite);
        } catch (RejectedExecutionException e) {
            // Not running any more: nothing left to write.
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("{} not written within 10 s at stop file={}", what, file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void schedule(Duration after) {
        try {
            thread.schedule(this::write, after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closing: lastWrite() takes whatever is pending.
        }
    }

    private void write() {
        if (closing.get()) {
            return;
        }
        if (!attempt() && !closing.get() && queued.compareAndSet(false, true)) {
            schedule(retry);
        }
    }

    private void lastWrite() {
        if ((queued.get() || failedAttempts > 0) && !attempt()) {
            LOG.error("{} not written at stop, changes since the last good write are lost file={}", what, file);
        }
    }

    /** One write of the current content; false if it failed (logged). */
    private boolean attempt() {
        // Cleared before the content is taken: a change made after this point asks for another write.
        queued.set(false);
        long started = System.nanoTime();
        try {
            writer.replace(file, content.get());
        } catch (Exception e) {
            if (failedAttempts++ == 0) {
                failingSinceNanos = started;
                LOG.warn("{} not written, kept in memory and retried every {} s file={} cause=\"{}\"", what,
                        retry.toSeconds(), file, e.toString());
                LOG.debug("{} write failure", what, e);
            } else {
                LOG.debug("{} not written again file={} failed_attempts={} cause=\"{}\"", what, file, failedAttempts,
                        e.toString());
            }
            return false;
        }
        if (failedAttempts > 0) {
            LOG.info("{} written again file={} failed_attempts={} seconds={}", what, file, failedAttempts,
                    String.format(Locale.ROOT, "%.3f", (System.nanoTime() - failingSinceNanos) / 1e9));
            failedAttempts = 0;
        }
        return true;
    }
}
