package lab.metadata.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests the guard refuses, then closes: what the HTTP codec could not decode (a request line over
 * the limit 414, a header block over it 431, anything else 400: not HTTP/1.x, a bad header, Content-Length with
 * Transfer-Encoding, differing Content-Lengths, a final transfer coding other than chunked, which RFC 9112 §6.3 says
 * a server must answer 400 and close), and a body over the limit for {@link BoundedBodyAggregator} (413). Tells the
 * {@link RequestDeadlineHandler} when a request has fully arrived.
 *
 * <p>Sits between the codec and the aggregator, where a failed request head and a failed body part are told apart:
 * a too-long chunk-size line is a body fault (400), not a too-long request line (414). After a refusal it drops
 * whatever else arrives: the decoder has lost the framing, or the rest is a body nobody will read.
 *
 * <p>The close lingers, as RFC 9112 §9.6 asks: the output is shut first and the input drained for up to
 * {@link #LINGER}. Closing at once with unread bytes makes the kernel send a reset, and a client still sending its
 * oversized headers or body would then lose the status it was sent.
 */
final class RequestRefusalHandler extends ChannelInboundHandlerAdapter {

    /** Enough for a client on the lab network to finish its send and read the answer; short enough to free the slot. */
    static final Duration LINGER = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(RequestRefusalHandler.class);

    private final String server;
    private final HttpLimits limits;
    private final RefusalFormat format;
    private final HttpRefusalCounters counters;
    private final RequestDeadlineHandler deadline;
    private ChannelHandlerContext context;
    private boolean refused;

    RequestRefusalHandler(String server, HttpLimits limits, RefusalFormat format, HttpRefusalCounters counters,
                          RequestDeadlineHandler deadline) {
        this.server = server;
        this.limits = limits;
        this.format = format;
        this.counters = counters;
        this.deadline = deadline;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        DecoderResult result = msg instanceof DecoderResultProvider provider ? provider.decoderResult()
            : DecoderResult.SUCCESS;
        if (result.isFailure()) {
            ReferenceCountUtil.release(msg);
            refuseUndecodable(msg instanceof HttpRequest, result.cause());
            return;
        }
        if (msg instanceof LastHttpContent) {
            deadline.requestComplete();
        }
        super.channelRead(ctx, msg);
    }

    /** The body passed {@link HttpLimits#maxBodyBytes()}: 413. Called on the event loop by the aggregator. */
    void refuseBody() {
        refuse(HttpRefusal.BODY_TOO_LARGE, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            "body over " + limits.maxBodyBytes() + " bytes", "-");
    }

    private void refuseUndecodable(boolean inHead, Throwable cause) {
        // A body fault leaves the aggregator holding the request's head; nothing reaches it from now on, and it
        // would otherwise report the coming close as a premature end of that message.
        BoundedBodyAggregator aggregator = context.pipeline().get(BoundedBodyAggregator.class);
        if (aggregator != null) {
            context.pipeline().remove(aggregator);
        }
        if (inHead && cause instanceof TooLongHttpLineException) {
            refuse(HttpRefusal.URI_TOO_LONG, HttpResponseStatus.REQUEST_URI_TOO_LONG,
                "request line over " + limits.maxRequestLineBytes() + " bytes", cause.toString());
        } else if (inHead && cause instanceof TooLongHttpHeaderException) {
            refuse(HttpRefusal.HEADERS_TOO_LARGE, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                "headers over " + limits.maxHeaderBytes() + " bytes", cause.toString());
        } else {
            refuse(HttpRefusal.BAD_REQUEST, HttpResponseStatus.BAD_REQUEST,
                inHead ? "malformed request" : "malformed body framing", cause.toString());
        }
    }

    private void refuse(HttpRefusal reason, HttpResponseStatus status, String text, String cause) {
        if (refused) {
            return;
        }
        refused = true;
        deadline.requestComplete();
        counters.count(reason);
        // One line, the cause's class and message only: a flood of bad requests must not fill the log with traces.
        LOG.debug("http request refused server={} caller={} status={} cause={}", server,
            context.channel().remoteAddress(), status.code(), cause);
        FullHttpResponse response = format.response(status, text);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        context.writeAndFlush(response).addListener(written -> lingerThenClose());
    }

    private void lingerThenClose() {
        if (!(context.channel() instanceof DuplexChannel duplex) || !duplex.isActive()) {
            context.close();
            return;
        }
        // The client's own close ends the channel sooner (half-closure is off); the timer bounds one that never does.
        duplex.shutdownOutput().addListener(shut -> context.executor().schedule(() -> {
            context.close();
        }, LINGER.toMillis(), TimeUnit.MILLISECONDS));
    }
}
