package lab.appliance.netns;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

/** A running udhcpc ({@code -f -R}): waits for its binding, renews it on demand and releases it on stop. */
public final class UdhcpcSession implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final BackgroundProcess process;
    private final UdhcpcDriver driver;

    UdhcpcSession(BackgroundProcess process, UdhcpcDriver driver) {
        this.process = process;
        this.driver = driver;
    }

    public BackgroundProcess process() {
        return process;
    }

    /** Waits for the first {@code bound} event and returns that binding. */
    public ClientLease awaitBound() {
        awaitEvent("bound", 1);
        return driver.latestLease().orElseThrow();
    }

    /**
     * SIGUSR1: busybox moves a bound client to RENEWING, which unicasts a REQUEST with ciaddr to the server
     * (RFC 2131 §4.3.2 RENEWING). Returns the binding the {@code renew} event reported.
     */
    public ClientLease renew() {
        return renew(TIMEOUT);
    }

    /**
     * As {@link #renew()}, waiting at most {@code timeout}: busybox sends one REQUEST per SIGUSR1 and waits long for
     * its answer, so a test that expects packets to be lost retransmits by signalling again.
     */
    public ClientLease renew(Duration timeout) {
        long before = count("renew");
        process.signal("USR1");
        awaitEvent("renew", before + 1, timeout);
        return driver.latestLease().orElseThrow();
    }

    /** SIGTERM: with {@code -R} udhcpc sends DHCPRELEASE, deconfigures and exits. Returns its exit status. */
    public int release() {
        return process.terminate(TIMEOUT);
    }

    @Override
    public void close() {
        process.close();
    }

    private void awaitEvent(String event, long count) {
        awaitEvent(event, count, TIMEOUT);
    }

    private void awaitEvent(String event, long count, Duration timeout) {
        await("udhcpc " + event + " #" + count + " (" + process.name() + ")")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .failFast("udhcpc exited:\n" + process.output(), () -> !process.isAlive())
                .until(() -> count(event) >= count);
    }

    private long count(String event) {
        return driver.events().stream().filter(event::equals).count();
    }
}
