package lab.metadata.cloudstack;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import lab.metadata.InstanceDirectory;
import lab.metadata.MetadataRequestListener;
import lab.metadata.http.HttpGuard;
import lab.metadata.http.HttpLimits;
import lab.metadata.http.HttpListeners;
import lab.metadata.http.HttpRefusalCounters;
import lab.metadata.http.RefusalFormat;
import lab.metadata.link.CallerMacCheck;
import lab.metadata.link.KernelNeighbourTable;
import lab.metadata.link.NeighbourTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CloudStack password server (port 8080 on the appliance address): any path, verb in {@code DomU_Request}.
 * Requests are handled on a separate one-thread executor, not the event loop, because the ledger may write to disk.
 */
public final class PasswordServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PasswordServer.class);
    /**
     * {@link HttpLimits}' defaults, bodies up to 1 KiB (cloud-init's wget sends GETs without one) and 1024
     * connections: one short request per VM boot, so even a lab booting all at once holds few at a time.
     */
    public static final HttpLimits LIMITS = HttpLimits.of(1024, 1024);

    private final List<InetSocketAddress> listen;
    private final InstanceDirectory directory;
    private final PasswordExchange exchange;
    private final MetadataRequestListener listener;
    private final HttpGuard guard;
    private final NeighbourTable neighbours;
    private final CallerMacCheck macCheck;
    private HttpListeners listeners;
    private EventExecutorGroup ledgerExecutor;

    /**
     * @param listen      addresses to bind, e.g. {@code 192.0.2.1:8080}
     * @param ledger      which instances acknowledged their password
     * @param listener    told about every request answered for a known instance (path = the verb)
     * @param limits      what a client may send and hold ({@link #LIMITS})
     */
    public PasswordServer(List<InetSocketAddress> listen, InstanceDirectory directory, PasswordLedger ledger,
                          MetadataRequestListener listener, HttpLimits limits) {
        this(listen, directory, ledger, listener, limits, new KernelNeighbourTable(), new CallerMacCheck());
    }

    /** The same, checking callers' MACs against their leases with {@code macCheck} and {@code neighbours}. */
    public PasswordServer(List<InetSocketAddress> listen, InstanceDirectory directory, PasswordLedger ledger,
                          MetadataRequestListener listener, HttpLimits limits, NeighbourTable neighbours,
                          CallerMacCheck macCheck) {
        this.neighbours = Objects.requireNonNull(neighbours, "neighbours");
        this.macCheck = Objects.requireNonNull(macCheck, "macCheck");
        this.listen = List.copyOf(listen);
        this.directory = Objects.requireNonNull(directory, "directory");
        this.exchange = new PasswordExchange(ledger);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.guard = new HttpGuard("password", Objects.requireNonNull(limits, "limits"), RefusalFormat.PLAIN_TEXT);
    }

    public synchronized void bind() throws IOException {
        if (listeners != null) {
            throw new IllegalStateException("password server already bound");
        }
        EventExecutorGroup executor = new DefaultEventExecutorGroup(1);
        ChannelInitializer<SocketChannel> initializer = new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                guard.protect(channel);
                channel.pipeline().addLast(executor, "handler",
                    new PasswordRequestHandler(directory, exchange, listener, neighbours, macCheck));
            }
        };
        try {
            listeners = HttpListeners.bind("password server", listen, 1, guard, initializer);
        } catch (IOException | RuntimeException e) {
            executor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        ledgerExecutor = executor;
        LOG.info("password server listening addresses={}", listeners.localAddresses());
    }

    public synchronized List<InetSocketAddress> localAddresses() {
        if (listeners == null) {
            throw new IllegalStateException("password server not bound");
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
            ledgerExecutor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            listeners = null;
            ledgerExecutor = null;
            LOG.info("password server stopped");
        }
    }
}
