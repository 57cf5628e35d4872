package lab.appliance.pair;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import lab.appliance.Appliance;
import lab.appliance.HostProblemsException;
import lab.appliance.ProblemLocator;
import lab.config.model.ApplianceConfig;
import lab.config.model.HaConfig;
import lab.pgstore.ActiveLock;
import lab.pgstore.PairFence;
import lab.pgstore.PairRegistry;
import lab.pgstore.PostgresDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of an active/standby pair. As standby it beats every {@code heartbeat-every} and tries the pair's lock;
 * once it holds it, it takes the floating addresses and starts a whole {@link Appliance} whose lease writes are fenced
 * by the lock, loading every lease the old active committed. As active it renews the lock and the addresses every
 * beat, and steps down (addresses first, so it stops answering at once, then the appliance) when the lock was taken
 * from it or it could not renew it for half the takeover time: by the time a standby may take over, the old active
 * has stopped serving, and if it has not (a paused JVM), the fence refuses its commits, so it cannot ACK.
 */
public final class PairNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PairNode.class);
    static final String LINK_LOCAL = "169.254.169.254/32";

    private final ApplianceConfig config;
    private final ProblemLocator locator;
    private final PostgresDatabase database;
    private final HaConfig ha;
    private final ActiveLock lock;
    private final PairRegistry registry;
    private final FloatingAddresses floating;
    private final ScheduledExecutorService beats;
    private final Object transitions = new Object();
    private final String host = NodeIdentity.hostName();

    private volatile Appliance active;
    private volatile PairFence fence;
    private volatile long lastRenewNanos;
    private boolean closed;
    private boolean databaseFailing;

    public PairNode(ApplianceConfig config, ProblemLocator locator, PostgresDatabase database) {
        this.config = Objects.requireNonNull(config, "config");
        this.locator = Objects.requireNonNull(locator, "locator");
        this.database = Objects.requireNonNull(database, "database");
        this.ha = config.ha().orElseThrow(() -> new IllegalArgumentException("the config has no ha section"));
        this.lock = new ActiveLock(database.dataSource(), ha.pair(), ha.node(), ha.takeoverAfter());
        this.registry = new PairRegistry(database.dataSource(), ha.pair());
        this.floating = new FloatingAddresses(config.network().interfaceName(), floatingCidrs(config),
                ha.takeoverAfter().dividedBy(2));
        this.beats = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "pair-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    static List<String> floatingCidrs(ApplianceConfig config) {
        List<String> cidrs = new ArrayList<>();
        cidrs.add(config.network().address().getHostAddress() + "/" + config.network().prefixLength());
        if (config.metadata().linkLocal()) {
            cidrs.add(LINK_LOCAL);
        }
        return cidrs;
    }

    /** Registers as standby and starts beating; the first beat may already take over. */
    public void start() throws IOException {
        // Addresses a crashed run of this node left behind would make two nodes answer for them.
        floating.drop();
        registry.report(ha.node(), PairRegistry.Role.STANDBY, host, NodeIdentity.version());
        LOG.info("pair node started as standby node={} pair={} takeover_after={}s heartbeat_every={}s addresses={}",
                ha.node(), ha.pair(), seconds(ha.takeoverAfter()), seconds(ha.heartbeatEvery()), floating.cidrs());
        long every = ha.heartbeatEvery().toMillis();
        beats.scheduleWithFixedDelay(this::beat, 0, every, TimeUnit.MILLISECONDS);
        beats.scheduleWithFixedDelay(this::watch, every / 2, Math.max(50, every / 2), TimeUnit.MILLISECONDS);
    }

    /** Whether this node is its pair's active now. */
    public boolean isActive() {
        return active != null;
    }

    /** The appliance this node runs while active. */
    public Optional<Appliance> appliance() {
        return Optional.ofNullable(active);
    }

    private void beat() {
        try {
            if (active == null) {
                standbyBeat();
            } else {
                activeBeat();
            }
            if (databaseFailing) {
                databaseFailing = false;
                LOG.info("pair database reachable again node={} pair={}", ha.node(), ha.pair());
            }
        } catch (IOException e) {
            if (!databaseFailing) {
                databaseFailing = true;
                LOG.error("pair heartbeat failed node={} pair={} role={} cause=\"{}\"", ha.node(), ha.pair(),
                        active == null ? "standby" : "active", e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("pair heartbeat failed node={} pair={}", ha.node(), ha.pair(), e);
        }
    }

    private void standbyBeat() throws IOException {
        registry.report(ha.node(), PairRegistry.Role.STANDBY, host, NodeIdentity.version());
        long started = System.nanoTime();
        Optional<ActiveLock.Taken> taken = lock.tryTake();
        if (taken.isPresent()) {
            becomeActive(taken.get(), started);
        }
    }

    private void activeBeat() throws IOException {
        PairFence held = fence;
        if (held == null) {
            return;
        }
        long started = System.nanoTime();
        if (!lock.renew(held)) {
            stepDown("another node took the active lock");
            return;
        }
        lastRenewNanos = started;
        floating.hold();
        registry.report(ha.node(), PairRegistry.Role.ACTIVE, host, NodeIdentity.version());
    }

    /** Steps down once the lock has gone unrenewed for half the takeover time, whatever the beat is stuck on. */
    private void watch() {
        if (active == null) {
            return;
        }
        long silentNanos = System.nanoTime() - lastRenewNanos;
        if (silentNanos * 2 > ha.takeoverAfter().toNanos()) {
            stepDown(String.format(Locale.ROOT, "the active lock went unrenewed for %.1f s", silentNanos / 1e9));
        }
    }

    private void becomeActive(ActiveLock.Taken taken, long startedNanos) {
        synchronized (transitions) {
            if (closed) {
                releaseQuietly(taken.fence());
                return;
            }
            lastRenewNanos = startedNanos;
            fence = taken.fence();
            Appliance appliance = new Appliance(config, locator, new ActiveTerm(database, taken.fence()));
            try {
                floating.hold();
                floating.announce();
                appliance.start();
            } catch (IOException | HostProblemsException | RuntimeException e) {
                LOG.error("pair takeover failed, staying standby node={} pair={} epoch={} cause=\"{}\"", ha.node(),
                        ha.pair(), taken.fence().epoch(), problemText(e));
                floating.drop();
                appliance.close();
                releaseQuietly(taken.fence());
                fence = null;
                return;
            }
            active = appliance;
            LOG.info("pair takeover node={} pair={} epoch={} previous={} previous_silent_seconds={} "
                            + "takeover_seconds={} leases={}", ha.node(), ha.pair(), taken.fence().epoch(),
                    taken.previousHolder().orElse("(none, or stopped cleanly)"),
                    String.format(Locale.ROOT, "%.3f", taken.secondsSilent()),
                    String.format(Locale.ROOT, "%.3f", (System.nanoTime() - startedNanos) / 1e9),
                    appliance.leases().size());
        }
        try {
            if (lock.renew(taken.fence())) {
                lastRenewNanos = System.nanoTime();
            }
            registry.report(ha.node(), PairRegistry.Role.ACTIVE, host, NodeIdentity.version());
        } catch (IOException e) {
            LOG.warn("first heartbeat after takeover failed node={} cause=\"{}\"", ha.node(), e.getMessage());
        }
    }

    private void stepDown(String why) {
        synchronized (transitions) {
            Appliance appliance = active;
            if (appliance == null) {
                return;
            }
            active = null;
            // Addresses first: the node stops answering at once, while the appliance drains its writes.
            floating.drop();
            appliance.close();
            LOG.warn("pair node stepped down to standby node={} pair={} epoch={} reason=\"{}\"", ha.node(),
                    ha.pair(), fence == null ? 0 : fence.epoch(), why);
            fence = null;
        }
    }

    /** Stops serving, gives the lock up so the standby takes over at its next beat, and reports the node stopped. */
    @Override
    public void close() {
        PairFence held;
        synchronized (transitions) {
            if (closed) {
                return;
            }
            closed = true;
            held = fence;
            Appliance appliance = active;
            active = null;
            if (appliance != null) {
                floating.drop();
                appliance.close();
            }
            fence = null;
        }
        beats.shutdownNow();
        try {
            beats.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (held != null) {
            releaseQuietly(held);
        }
        try {
            registry.report(ha.node(), PairRegistry.Role.STOPPED, host, NodeIdentity.version());
        } catch (IOException e) {
            LOG.warn("could not report node stopped node={} cause=\"{}\"", ha.node(), e.getMessage());
        }
        LOG.info("pair node stopped node={} pair={} released_lock={}", ha.node(), ha.pair(), held != null);
    }

    private void releaseQuietly(PairFence held) {
        try {
            lock.release(held);
        } catch (IOException e) {
            LOG.warn("could not release the active lock node={} cause=\"{}\"", ha.node(), e.getMessage());
        }
    }

    private static String problemText(Exception e) {
        if (e instanceof HostProblemsException host) {
            return host.problems().toString();
        }
        return e.getMessage();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }
}
