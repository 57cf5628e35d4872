package lab.metadata;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import lab.metadata.ec2.Imdsv2Tokens;
import lab.metadata.http.HttpGuard;
import lab.metadata.http.HttpLimits;
import lab.metadata.http.HttpListeners;
import lab.metadata.http.HttpRefusalCounters;
import lab.metadata.http.MetadataRequestHandler;
import lab.metadata.http.MetadataRouter;
import lab.metadata.http.RefusalFormat;
import lab.metadata.link.CallerMacCheck;
import lab.metadata.link.KernelNeighbourTable;
import lab.metadata.link.NeighbourTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata HTTP service on a list of listen addresses (the appliance address and 169.254.169.254, port 80):
 * EC2, CloudStack, OpenStack and NoCloud trees, answered by caller address, and the boot reports VMs post.
 */
public final class MetadataServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataServer.class);
    /** Live IMDSv2 tokens kept at most; a lab has far fewer VMs, each asking for one token per boot. */
    private static final int TOKEN_CAPACITY = 65536;
    /**
     * The metadata service's limits: {@link HttpLimits}' defaults, bodies up to 64 KiB (requests are GETs, one PUT
     * without a body and small boot reports) and 4096 connections (a lab of a few thousand VMs, each crawling over
     * one connection at a time, with room; far below the file descriptors a JVM gets under systemd).
     */
    public static final HttpLimits LIMITS = HttpLimits.of(64 * 1024, 4096);

    private final List<InetSocketAddress> listen;
    private final MetadataRouter router;
    private final NeighbourTable neighbours;
    private final HttpGuard guard;
    private HttpListeners listeners;

    /**
     * @param listen      addresses to bind, e.g. {@code 192.0.2.1:80} and {@code 169.254.169.254:80}
     * @param directory   caller address → instance
     * @param listener    told about every request answered for a known instance
     * @param reports     told about every boot report (phone home, webhook event) a known instance posted
     * @param clock       for IMDSv2 token expiry
     * @param limits      what a client may send and hold, shared by all listen addresses ({@link #LIMITS})
     */
    public MetadataServer(List<InetSocketAddress> listen, InstanceDirectory directory,
                          MetadataRequestListener listener, BootReportListener reports, Clock clock,
                          HttpLimits limits) {
        this(listen, directory, listener, reports, clock, limits, new KernelNeighbourTable(), new CallerMacCheck());
    }

    /**
     * The same, checking callers' MACs against their leases with {@code macCheck} and the MACs {@code neighbours}
     * holds (the kernel's table in the appliance; its refusals are counted there).
     */
    public MetadataServer(List<InetSocketAddress> listen, InstanceDirectory directory,
                          MetadataRequestListener listener, BootReportListener reports, Clock clock,
                          HttpLimits limits, NeighbourTable neighbours, CallerMacCheck macCheck) {
        this.listen = List.copyOf(listen);
        this.router = new MetadataRouter(Objects.requireNonNull(directory, "directory"),
            new Imdsv2Tokens(Objects.requireNonNull(clock, "clock"), TOKEN_CAPACITY),
            Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(reports, "reports"),
            Objects.requireNonNull(macCheck, "macCheck"));
        this.neighbours = Objects.requireNonNull(neighbours, "neighbours");
        this.guard = new HttpGuard("metadata", Objects.requireNonNull(limits, "limits"), RefusalFormat.PLAIN_TEXT);
    }

    /** Binds every listen address; on failure nothing stays bound and the exception names the address. */
    public synchronized void bind() throws IOException {
        if (listeners != null) {
            throw new IllegalStateException("metadata server already bound");
        }
        listeners = HttpListeners.bind("metadata server", listen, 2, guard,
            new MetadataServerInitializer(guard, () -> new MetadataRequestHandler(router, neighbours)));
        LOG.info("metadata server listening addresses={}", listeners.localAddresses());
    }

    /** The bound addresses (ephemeral ports resolved). */
    public synchronized List<InetSocketAddress> localAddresses() {
        if (listeners == null) {
            throw new IllegalStateException("metadata server not bound");
        }
        return listeners.localAddresses();
    }

    /** What its guard refused (connections over a cap, slow or malformed requests), for the metrics. */
    public HttpRefusalCounters refusals() {
        return guard.counters();
    }

    @Override
    public synchronized void close() {
        if (listeners != null) {
            listeners.close();
            listeners = null;
            LOG.info("metadata server stopped");
        }
    }
}
