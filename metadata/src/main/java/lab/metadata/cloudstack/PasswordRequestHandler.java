package lab.metadata.cloudstack;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import lab.metadata.Flavour;
import lab.metadata.Instance;
import lab.metadata.InstanceDirectory;
import lab.metadata.MetadataRequestListener;
import lab.metadata.ServedInstance;
import lab.metadata.http.PlainTextResponses;
import lab.metadata.link.CallerMacCheck;
import lab.metadata.link.NeighbourTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Thin channel handler of the password server, one per connection: caller → instance (refused with 403 when the
 * caller's MAC is not its lease's), {@code DomU_Request} verb → exchange → reply.
 */
public final class PasswordRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(PasswordRequestHandler.class);
    static final String VERB_HEADER = "DomU_Request";

    private final InstanceDirectory directory;
    private final PasswordExchange exchange;
    private final MetadataRequestListener listener;
    private final NeighbourTable neighbours;
    private final CallerMacCheck macCheck;

    public PasswordRequestHandler(InstanceDirectory directory, PasswordExchange exchange,
                                  MetadataRequestListener listener) {
        this(directory, exchange, listener, NeighbourTable.EMPTY, new CallerMacCheck());
    }

    public PasswordRequestHandler(InstanceDirectory directory, PasswordExchange exchange,
                                  MetadataRequestListener listener, NeighbourTable neighbours,
                                  CallerMacCheck macCheck) {
        this.neighbours = Objects.requireNonNull(neighbours, "neighbours");
        this.macCheck = Objects.requireNonNull(macCheck, "macCheck");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        String caller = peer.getAddress().getHostAddress();
        MDC.put("caller", caller);
        try {
            if (!request.decoderResult().isSuccess()) {
                LOG.debug("password request malformed caller={}", caller);
                write(ctx, 400, PasswordExchange.BAD_REQUEST, false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!request.method().equals(HttpMethod.GET)) {
                PlainTextResponses.write(ctx, 405, bytes("method not allowed: " + request.method()),
                    Optional.of("GET"), keepAlive);
                return;
            }
            Optional<Instance> instance = directory.byAddress(peer.getAddress()).map(ServedInstance::instance);
            if (instance.isEmpty()) {
                LOG.debug("password request unknown caller={} status=404", caller);
                write(ctx, 404, "no lease for " + caller, keepAlive);
                return;
            }
            if (!macCheck.admits("password server", peer.getAddress(), instance.get().mac(),
                    neighbours.macOf(peer.getAddress()))) {
                write(ctx, 403, "forbidden: this address is leased to another MAC", false);
                return;
            }
            String verb = Optional.ofNullable(request.headers().get(VERB_HEADER)).map(String::trim).orElse("");
            PasswordExchange.Reply reply = exchange.answer(instance.get(), verb);
            // The verb is logged, never the reply: it may be the password.
            LOG.debug("password request served caller={} mac={} verb={} status={}", caller, instance.get().mac(),
                verb.isEmpty() ? "-" : verb, reply.status());
            listener.served(instance.get(), Flavour.CLOUDSTACK, verb, reply.status());
            write(ctx, reply.status(), reply.body(), keepAlive);
        } catch (RuntimeException e) {
            LOG.warn("password request failed caller={}", caller, e);
            write(ctx, 500, "internal error", false);
        } finally {
            MDC.remove("caller");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("password connection failed caller={} cause={}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static void write(ChannelHandlerContext ctx, int status, String body, boolean keepAlive) {
        PlainTextResponses.write(ctx, status, bytes(body), Optional.empty(), keepAlive);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
