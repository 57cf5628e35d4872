package lab.appliance.admin;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import lab.metadata.http.HttpGuard;
import lab.metadata.http.HttpLimits;
import lab.metadata.http.HttpListeners;
import lab.metadata.http.HttpRefusalCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API, {@code /metrics} and the fleet page on their own listener ({@code admin.listen}), never the
 * metadata port.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    /**
     * {@link HttpLimits}' defaults except: bodies up to 1 MiB (a VM record with inline user-data fits easily); 32 KiB
     * of headers (a browser sends every cookie of the host name, and an operator's localhost collects many); 30 s
     * to send a request and 60 s idle (an operator's upload may cross a slow VPN, and the fleet page polls with
     * pauses); 256 connections (operators, the CLI and a few open fleet pages).
     */
    public static final HttpLimits LIMITS = HttpLimits.of(1024 * 1024, 256).withMaxHeaderBytes(32 * 1024)
            .withTimes(Duration.ofSeconds(30), Duration.ofSeconds(60));

    private final InetSocketAddress listen;
    private final AdminToken token;
    private final AdminRoutes routes;
    private final AdminPage page = new AdminPage();
    private final HttpGuard guard;
    private HttpListeners listeners;
    private ExecutorService worker;

    public AdminServer(InetSocketAddress listen, AdminToken token, AdminRoutes routes) {
        this(listen, token, routes, LIMITS);
    }

    AdminServer(InetSocketAddress listen, AdminToken token, AdminRoutes routes, HttpLimits limits) {
        this.listen = Objects.requireNonNull(listen, "listen");
        this.token = Objects.requireNonNull(token, "token");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.guard = new HttpGuard("admin", Objects.requireNonNull(limits, "limits"), AdminRequestHandler.REFUSALS);
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
            listeners = HttpListeners.bind("admin API", List.of(listen), 1, guard,
                    new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            guard.protect(channel);
                            channel.pipeline().addLast("handler",
                                    new AdminRequestHandler(token, page, routes, worker));
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

    /** What its guard refused (connections over a cap, slow or malformed requests), for the metrics. */
    public HttpRefusalCounters refusals() {
        return guard.counters();
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
