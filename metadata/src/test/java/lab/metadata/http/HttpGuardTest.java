package lab.metadata.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.metadata.TestInstances;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The shared guard in front of a trivial handler (it answers {@code ok <uri> <body bytes>} and records each URI),
 * on 127.0.0.1 with real sockets: the whole contract with small limits, and what only the guard itself can show
 * (nothing refused reaches the handler, the server cap, deadlines on a keep-alive connection, the log).
 */
class HttpGuardTest extends GuardedServerContract {

    private static final InetAddress TWO = TestInstances.ip("127.0.0.2");
    private static final InetAddress THREE = TestInstances.ip("127.0.0.3");
    /** Small limits so a test reaches each one with little traffic; the times are the production defaults. */
    private static final HttpLimits SMALL = new HttpLimits(1024, 2048, 16 * 1024, HttpLimits.REQUEST_DEADLINE,
        HttpLimits.IDLE_TIMEOUT, 100, 50);

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpListeners listeners;
    private HttpGuard guard;
    private InetSocketAddress server;

    @Override
    protected InetSocketAddress start(HttpLimits limits) throws IOException {
        guard = new HttpGuard("test", limits, RefusalFormat.PLAIN_TEXT);
        listeners = HttpListeners.bind("test server", List.of(new InetSocketAddress(LOOPBACK, 0)), 1, guard,
            new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    guard.protect(channel);
                    channel.pipeline().addLast(new EchoHandler(seen));
                }
            });
        server = listeners.localAddresses().get(0);
        return server;
    }

    @Override
    protected HttpLimits productionLimits() {
        return SMALL;
    }

    @Override
    protected HttpRefusalCounters refusals() {
        return guard.counters();
    }

    @Override
    protected void stop() {
        if (listeners != null) {
            listeners.close();
        }
        assertThat(seen).as("requests that reached the handler").doesNotContain("/smuggled");
    }

    @Override
    protected String wellFormedRequest() {
        return "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    @Override
    protected String bodyPath() {
        return "/upload";
    }

    @Override
    protected void assertServersFormat(RawHttpClient.Exchange refusal) {
        assertThat(refusal.text()).contains("\r\ncontent-type: text/plain; charset=utf-8\r\n");
    }

    @Test
    void refusedRequestsNeverReachTheHandler() throws IOException {
        start(SMALL);
        for (var arguments : HostileRequests.malformed()) {
            RawHttpClient.exchange(server, LOOPBACK, (String) arguments.get()[1]);
        }
        for (var arguments : HostileRequests.smuggling()) {
            RawHttpClient.exchange(server, LOOPBACK, (String) arguments.get()[1]);
        }
        RawHttpClient.exchange(server, LOOPBACK, HostileRequests.longRequestLine(5000));
        RawHttpClient.exchange(server, LOOPBACK, HostileRequests.hugeHeaders(64 * 1024));
        RawHttpClient.exchange(server, LOOPBACK, HostileRequests.announcedBody("/upload", 16 * 1024 + 1));
        RawHttpClient.exchange(server, LOOPBACK, HostileRequests.chunkedBody("/upload", 256 * 1024));

        assertThat(seen).isEmpty();
    }

    @Test
    void refusalTextNamesTheLimit() throws IOException {
        start(SMALL);

        assertThat(RawHttpClient.exchange(server, LOOPBACK, HostileRequests.longRequestLine(5000)).text())
            .endsWith("uri too long: request line over 1024 bytes");
    }

    @Test
    void requestLineJustUnderTheLimitIsServed() throws IOException {
        start(SMALL);

        // A request line of 1022 bytes.
        assertThat(get("/" + "a".repeat(1008)).status()).isEqualTo(200);
    }

    @Test
    void chunkedBodyWithinTheLimitIsAggregated() throws IOException {
        start(SMALL);

        try (RawHttpClient client = RawHttpClient.connect(server, LOOPBACK)) {
            client.send(HostileRequests.chunkedBody("/upload", 16 * 1024));
            assertThat(client.readResponse().body()).isEqualTo("ok /upload 16384");
        }
    }

    @Test
    void silentConnectionIsClosedAtTheDeadline() throws IOException {
        start(SMALL.withTimes(Duration.ofMillis(500), Duration.ofSeconds(30)));

        try (RawHttpClient client = RawHttpClient.connect(server, LOOPBACK)) {
            assertThat(client.closesWithoutAnswer(Duration.ofSeconds(10))).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> guard.counters().of(HttpRefusal.REQUEST_DEADLINE) == 1);
    }

    @Test
    void eachLaterRequestOnAKeepAliveConnectionHasItsOwnDeadline() throws Exception {
        start(SMALL.withTimes(Duration.ofMillis(500), Duration.ofSeconds(30)));

        try (RawHttpClient client = RawHttpClient.connect(server, LOOPBACK)) {
            // Whole requests keep the connection for longer than one deadline: only a request under way is timed.
            for (int i = 0; i < 8; i++) {
                client.send("GET /" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(client.readResponse().body()).isEqualTo("ok /" + i + " 0");
                Thread.sleep(100);
            }
            String slow = "GET /slow HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(200) + "\r\n\r\n";
            assertThat(client.trickle(slow)).isLessThan(slow.length());
        }
        assertThat(seen).hasSize(8).doesNotContain("/slow");
    }

    @Test
    void connectionsPastTheServerCapAreClosedAtOnceAndFreedSlotsAreReused() throws IOException {
        start(SMALL.withConnections(3, 2));
        List<RawHttpClient> held = new ArrayList<>();
        try {
            held.add(admitted(LOOPBACK));
            held.add(admitted(LOOPBACK));
            held.add(admitted(TWO));
            try (RawHttpClient fourth = RawHttpClient.connect(server, THREE)) {
                assertThat(fourth.closesWithoutAnswer(Duration.ofSeconds(5))).as("fourth, from 127.0.0.3").isTrue();
            }
            assertThat(guard.counters().of(HttpRefusal.SERVER_CONNECTION_LIMIT)).isEqualTo(1);
            assertThat(guard.openConnections()).isEqualTo(3);

            held.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> guard.openConnections() == 2);
            held.add(admitted(THREE));
        } finally {
            held.forEach(RawHttpClient::close);
        }
    }

    @Test
    void refusalsLogOneDebugLineEachAndNoStackTrace() throws IOException {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
            org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        try {
            start(SMALL);
            for (var arguments : HostileRequests.malformed()) {
                RawHttpClient.exchange(server, LOOPBACK, (String) arguments.get()[1]);
            }
            for (var arguments : HostileRequests.smuggling()) {
                RawHttpClient.exchange(server, LOOPBACK, (String) arguments.get()[1]);
            }
            RawHttpClient.exchange(server, LOOPBACK, HostileRequests.longRequestLine(5000));
            RawHttpClient.exchange(server, LOOPBACK, HostileRequests.hugeHeaders(64 * 1024));
            RawHttpClient.exchange(server, LOOPBACK, HostileRequests.chunkedBody("/", 256 * 1024));
        } finally {
            root.detachAppender(events);
        }
        assertThat(events.list).filteredOn(e -> e.getThrowableProxy() != null).isEmpty();
        assertThat(events.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).isEmpty();
        assertThat(events.list).filteredOn(e -> e.getFormattedMessage().startsWith("http request refused"))
            .hasSize(HostileRequests.malformed().size() + HostileRequests.smuggling().size() + 3)
            .allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("\n"));
    }

    private RawHttpClient admitted(InetAddress source) {
        RawHttpClient client = RawHttpClient.connect(server, source);
        client.send(wellFormedRequest());
        assertThat(client.readResponse().status()).as("served from %s", source.getHostAddress()).isEqualTo(200);
        return client;
    }

    private RawHttpClient.Response get(String path) {
        try (RawHttpClient client = RawHttpClient.connect(server, LOOPBACK)) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            return client.readResponse();
        }
    }

    /** Answers {@code ok <uri> <body bytes>} with keep-alive as asked, and records the URI. */
    private static final class EchoHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final List<String> seen;

        EchoHandler(List<String> seen) {
            this.seen = seen;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            seen.add(request.uri());
            byte[] body = ("ok " + request.uri() + " " + request.content().readableBytes())
                .getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(body));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
