package lab.metadata.cloudstack;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import lab.metadata.InstanceDirectory;
import lab.metadata.MetadataRequestListener;
import lab.metadata.MetadataServerInitializer;
import lab.metadata.http.HttpListeners;
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

    private final List<InetSocketAddress> listen;
    private final InstanceDirectory directory;
    private final PasswordExchange exchange;
    private final MetadataRequestListener listener;
    private final Duration idleTimeout;
    private final NeighbourTable neighbours;
    private final CallerMacCheck macCheck;
    private HttpListeners listeners;
    private EventExecutorGroup ledgerExecutor;

    /**
     * @param listen      addresses to bind, e.g. {@code 192.0.2.1:8080}
     * @param ledger      which instances acknowledged their password
     * @param listener    told about every request answered for a known instance (path = the verb)
     * @param idleTimeout an idle connection is closed after this long
     */
    public PasswordServer(List<InetSocketAddress> listen, InstanceDirectory directory, PasswordLedger ledger,
                          MetadataRequestListener listener, Duration idleTimeout) {
        this(listen, directory, ledger, listener, idleTimeout, new KernelNeighbourTable(), new CallerMacCheck());
    }

    /** The same, checking callers' MACs against their leases with {@code macCheck} and {@code neighbours}. */
    public PasswordServer(List<InetSocketAddress> listen, InstanceDirectory directory, PasswordLedger ledger,
                          MetadataRequestListener listener, Duration idleTimeout, NeighbourTable neighbours,
                          CallerMacCheck macCheck) {
        this.neighbours = Objects.requireNonNull(neighbours, "neighbours");
        this.macCheck = Objects.requireNonNull(macCheck, "macCheck");
        this.listen = List.copyOf(listen);
        this.directory = Objects.requireNonNull(directory, "directory");
        this.exchange = new PasswordExchange(ledger);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    }

    public synchronized void bind() throws IOException {
        if (listeners != null) {
            throw new IllegalStateException("password server already bound");
        }
        EventExecutorGroup executor = new DefaultEventExecutorGroup(1);
        ChannelInitializer<SocketChannel> initializer = new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline()
                    .addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
                    .addLast("codec", new HttpServerCodec())
                    .addLast("aggregator", new HttpObjectAggregator(MetadataServerInitializer.MAX_CONTENT_BYTES))
                    .addLast(executor, "handler", new PasswordRequestHandler(directory, exchange, listener, neighbours, macCheck));
            }
        };
        try {
            listeners = HttpListeners.bind("password server", listen, 1, initializer);
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
