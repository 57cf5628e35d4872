package lab.appliance.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import lab.metadata.http.RefusalFormat;

/**
 * Thin channel handler of the admin listener: answers a GET of the fleet page's static files from memory, refuses
 * every other request without the bearer token (401), hands the rest to {@link AdminRoutes} on the worker executor
 * (routes may force a journal or load a config), writes the answer. Every answer forbids caching and, through its
 * Content-Security-Policy, any script, style or connection that is not the appliance's own.
 */
final class AdminRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final byte[] UNAUTHORIZED = ("{\"status\":401,\"error\":\"missing or wrong bearer token "
            + "(send Authorization: Bearer <the token in admin.token-file>)\",\"problems\":[]}")
            .getBytes(StandardCharsets.UTF_8);

    private static final ObjectWriter ERROR_WRITER = new ObjectMapper().writerFor(ErrorBody.class);

    /** A request the HTTP guard refused (400, 413, 414, 431), as the API's JSON error with its usual headers. */
    static final RefusalFormat REFUSALS = (status, reason) -> response(error(status.code(), reason));

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private final AdminToken token;
    private final AdminPage page;
    private final AdminRoutes routes;
    private final Executor worker;

    AdminRequestHandler(AdminToken token, AdminPage page, AdminRoutes routes, Executor worker) {
        this.token = token;
        this.page = page;
        this.routes = routes;
        this.worker = worker;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            write(ctx, new AdminResponse(400, AdminResponse.JSON,
                    "{\"status\":400,\"error\":\"malformed HTTP request\",\"problems\":[]}"
                            .getBytes(StandardCharsets.UTF_8)), false);
            return;
        }
        String method = request.method().name();
        String path;
        try {
            path = new QueryStringDecoder(request.uri()).path();
        } catch (IllegalArgumentException e) {
            // A broken %-escape ("/api/v1/vms/%zz"): a 400 like any malformed request, not a dropped connection.
            write(ctx, error(400, "malformed request target"), false);
            return;
        }
        var asset = page.answer(method, path);
        if (asset.isPresent()) {
            write(ctx, asset.get(), keepAlive);
            return;
        }
        if (!token.admits(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            write(ctx, new AdminResponse(401, AdminResponse.JSON, UNAUTHORIZED), keepAlive);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        try {
            worker.execute(() -> {
                AdminResponse response = routes.answer(method, path, body);
                ctx.executor().execute(() -> write(ctx, response, keepAlive));
            });
        } catch (RejectedExecutionException e) {
            write(ctx, new AdminResponse(503, AdminResponse.JSON,
                    "{\"status\":503,\"error\":\"the admin API is stopping\",\"problems\":[]}"
                            .getBytes(StandardCharsets.UTF_8)), false);
        }
    }

    private static void write(ChannelHandlerContext ctx, AdminResponse answer, boolean keepAlive) {
        FullHttpResponse response = response(answer);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static AdminResponse error(int status, String message) {
        try {
            return new AdminResponse(status, AdminResponse.JSON,
                    ERROR_WRITER.writeValueAsBytes(ErrorBody.of(status, message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body of two fields always serialises", e);
        }
    }

    /** The answer with the headers every admin response carries: no caching, the CSP, no sniffing. */
    private static FullHttpResponse response(AdminResponse answer) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        HttpUtil.setContentLength(response, answer.body().length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        response.headers().set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
        response.headers().set("X-Content-Type-Options", "nosniff");
        if (answer.status() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
