package lab.metadata.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * How a server words a request {@link HttpGuard} refused (400, 413, 414, 431): the metadata servers in plain text,
 * the admin API in its JSON error body. The guard adds {@code Connection: close} and closes after writing.
 */
@FunctionalInterface
public interface RefusalFormat {

    /** {@code <reason phrase>: <reason>} as text/plain, like the metadata service's other errors. */
    RefusalFormat PLAIN_TEXT = (status, reason) -> {
        byte[] body = (status.reasonPhrase().toLowerCase(java.util.Locale.ROOT) + ": " + reason)
            .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    };

    /** A complete response for {@code status}; {@code reason} is one line naming the limit or the fault. */
    FullHttpResponse response(HttpResponseStatus status, String reason);
}
