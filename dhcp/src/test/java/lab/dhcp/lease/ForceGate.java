package lab.dhcp.lease;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds the journal's writer thread inside a force, as a slow disk would, so tests can fill its queue without racing
 * it: once {@link #hold()} is called, the next force waits until {@link #release()}.
 */
final class ForceGate implements FailingFileChannel.ForceHook {

    private static final long WAIT_SECONDS = 30;

    private final AtomicBoolean holding = new AtomicBoolean();
    private final CountDownLatch inside = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** An opener whose channels' forces pass this gate. */
    ChannelOpener opener() {
        return FailingFileChannel.forceHookOpener(this);
    }

    /** Makes the next force wait (creating or opening the journal forces too, so hold only after that). */
    void hold() {
        holding.set(true);
    }

    /** Returns once the writer thread waits at the gate. */
    void awaitWriterInside() throws InterruptedException {
        if (!inside.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the writer thread never reached a force");
        }
    }

    /** Lets every force through from now on. */
    void release() {
        holding.set(false);
        released.countDown();
    }

    @Override
    public void beforeForce() throws IOException {
        if (!holding.get()) {
            return;
        }
        inside.countDown();
        try {
            if (!released.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("force gate never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted at the force gate");
        }
    }
}
