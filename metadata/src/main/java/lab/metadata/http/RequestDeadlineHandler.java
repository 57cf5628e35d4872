package lab.metadata.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request has not fully arrived within the deadline, counted from the connection's opening
 * for the first request and from the first byte of each later one; and closes it when the idle timer fires.
 *
 * <p>Sits before the HTTP codec, so it sees raw bytes: bytes arriving while no request is under way start the clock.
 * {@link RequestRefusalHandler}, after the codec, stops it when the request's last part has been decoded. An idle
 * timer alone would not do: every trickled byte resets it, and a slowloris client holds the slot for ever.
 */
final class RequestDeadlineHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadlineHandler.class);

    private final String server;
    private final long deadlineNanos;
    private final HttpRefusalCounters counters;
    private ChannelHandlerContext context;
    private ScheduledFuture<?> expiry;

    RequestDeadlineHandler(String server, Duration deadline, HttpRefusalCounters counters) {
        this.server = server;
        this.deadlineNanos = deadline.toNanos();
        this.counters = counters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (expiry == null) {
            start();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            LOG.debug("http connection idle, closed server={} caller={}", server, ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    /** The request under way has fully arrived; called on the channel's event loop. */
    void requestComplete() {
        stop();
    }

    private void start() {
        if (expiry == null && context.channel().isActive()) {
            expiry = context.executor().schedule(this::expire, deadlineNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void stop() {
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
    }

    private void expire() {
        expiry = null;
        if (!context.channel().isActive()) {
            return;
        }
        counters.count(HttpRefusal.REQUEST_DEADLINE);
        SocketAddress caller = context.channel().remoteAddress();
        LOG.debug("http request deadline passed, closed server={} caller={} deadline_s={}", server, caller,
            deadlineNanos / 1e9);
        context.close();
    }
}
