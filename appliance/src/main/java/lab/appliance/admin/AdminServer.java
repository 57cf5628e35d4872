package lab.appliance.admin;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import lab.metadata.http.HttpListeners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API, {@code /metrics} and the fleet page on their own listener ({@code admin.listen}), never the
 * metadata port.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    /** A VM record with inline user-data fits easily; larger bodies get 413 from Netty. */
    static final int MAX_CONTENT_BYTES = 1024 * 1024;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final InetSocketAddress listen;
    private final AdminToken token;
    private final AdminRoutes routes;
    private final AdminPage page = new AdminPage();
    private HttpListeners listeners;
    private ExecutorService worker;

    public AdminServer(InetSocketAddress listen, AdminToken token, AdminRoutes routes) {
        this.listen = Objects.requireNonNull(listen, "listen");
        this.token = Objects.requireNonNull(token, "token");
        this.routes = Objects.requireNonNull(routes, "routes");
    }

    public synchronized void bind() throws IOException {
        if (listeners != null) {
            throw new IllegalStateException("admin server already bound");
        }
        // One worker: edits and revocations are serialised, and none of them runs on the event loop.
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "admin-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            listeners = HttpListeners.bind("admin API", List.of(listen), 1, new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    channel.pipeline()
                            .addLast(new IdleStateHandler(0, 0, IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                            .addLast(new HttpServerCodec())
                            .addLast(new HttpObjectAggregator(MAX_CONTENT_BYTES))
                            .addLast(new AdminRequestHandler(token, page, routes, worker));
                }
            });
        } catch (IOException e) {
            worker.shutdownNow();
            worker = null;
            throw e;
        }
        LOG.info("admin API listening address={}", localAddress());
    }

    /** The bound address (an ephemeral port resolved). */
    public synchronized InetSocketAddress localAddress() {
        if (listeners == null) {
            throw new IllegalStateException("admin server not bound");
        }
        return listeners.localAddresses().get(0);
    }

    @Override
    public synchronized void close() {
        if (listeners != null) {
            listeners.close();
            listeners = null;
            worker.shutdown();
            try {
                worker.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("admin API stopped");
        }
    }
}
