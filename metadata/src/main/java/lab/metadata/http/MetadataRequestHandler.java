package lab.metadata.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import lab.metadata.ec2.Imdsv2Tokens;
import lab.metadata.link.NeighbourTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Thin channel handler, one per connection: turns a decoded HTTP request into a {@link MetadataRequest}, asks the
 * router, writes. It reads the caller's MAC from the neighbour table once, at the connection's first request: the
 * handshake needed that entry, and one peer address has one MAC for the connection's life.
 */
public final class MetadataRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataRequestHandler.class);
    private static final String FORWARDED_FOR = "X-Forwarded-For";

    private final MetadataRouter router;
    private final NeighbourTable neighbours;
    private Optional<String> callerMac;
    private boolean hopLimited;

    public MetadataRequestHandler(MetadataRouter router) {
        this(router, NeighbourTable.EMPTY);
    }

    public MetadataRequestHandler(MetadataRouter router, NeighbourTable neighbours) {
        this.router = router;
        this.neighbours = neighbours;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        String caller = peer.getAddress().getHostAddress();
        MDC.put("caller", caller);
        try {
            if (!request.decoderResult().isSuccess()) {
                LOG.debug("metadata request malformed caller={} cause={}", caller, request.decoderResult().cause());
                PlainTextResponses.write(ctx, 400, bytes("bad request"), Optional.empty(), false);
                return;
            }
            Optional<String> path = pathOf(request.uri());
            if (path.isEmpty()) {
                LOG.debug("metadata request unusable uri caller={}", caller);
                PlainTextResponses.write(ctx, 400, bytes("bad request: unusable path"), Optional.empty(), false);
                return;
            }
            if (callerMac == null) {
                callerMac = neighbours.macOf(peer.getAddress());
            }
            MetadataRequest metadataRequest = new MetadataRequest(request.method().name(), path.get(),
                peer.getAddress(), local.getAddress(),
                Optional.ofNullable(request.headers().get(Imdsv2Tokens.TOKEN_HEADER)),
                Optional.ofNullable(request.headers().get(Imdsv2Tokens.TTL_HEADER)),
                ByteBufUtil.getBytes(request.content()), callerMac,
                request.headers().contains(FORWARDED_FOR));
            MetadataAnswer answer;
            try {
                answer = router.route(metadataRequest);
            } catch (RuntimeException e) {
                LOG.warn("metadata request failed caller={} path={}", caller, printable(path.get()), e);
                answer = MetadataAnswer.text(500, "internal error");
            }
            LOG.debug("metadata request served caller={} mac={} flavour={} method={} path={} status={}", caller,
                answer.instance().map(instance -> instance.mac()).orElse("-"),
                answer.flavour().map(Enum::name).orElse("-"), metadataRequest.method(), printable(path.get()),
                answer.status());
            if (answer.hopLimited() && callerMac.isPresent() && !hopLimited) {
                // For the rest of the connection: its peer is on the link, where TTL 1 still arrives.
                hopLimited = ResponseHopLimit.limit(ctx.channel(), 1);
            }
            PlainTextResponses.write(ctx, answer.status(), answer.body(), answer.allow(), HttpUtil.isKeepAlive(request));
        } finally {
            MDC.remove("caller");
        }
    }

    /**
     * The decoded path of an origin-form or absolute-form request target; empty when unusable. The trees are tables,
     * so no path can reach a file; still, a path a client could only mean as a trick is refused (400) rather than
     * looked up: an encoded separator ({@code %2F}, {@code %5C}: hidden from whoever splits the raw path), a
     * {@code .} or {@code ..} segment (the trees have none; a cache or proxy in front might resolve it), a
     * backslash, or a control character once decoded ({@code %00}, {@code %0A}). Other odd bytes (overlong UTF-8)
     * decode to replacement characters and are simply not found.
     */
    static Optional<String> pathOf(String uri) {
        String raw = uri;
        if (!uri.startsWith("/")) {
            try {
                raw = new URI(uri).getRawPath();
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
            if (raw == null || !raw.startsWith("/")) {
                return Optional.empty();
            }
        }
        int query = raw.indexOf('?');
        String rawPath = query < 0 ? raw : raw.substring(0, query);
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c")) {
            return Optional.empty();
        }
        String path;
        try {
            path = new QueryStringDecoder(raw).path();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return isPlain(path) ? Optional.of(path) : Optional.empty();
    }

    private static boolean isPlain(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' || Character.isISOControl(c)) {
                return false;
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * The path with control characters escaped ({@code %0A} decodes to a newline): a caller must not be able to
     * write a line of its own into the log.
     */
    static String printable(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a bug in one request must not reach Netty's "unhandled exception" path; the connection goes.
        LOG.debug("metadata connection failed caller={} cause={}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
