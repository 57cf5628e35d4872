package lab.metadata;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The HTTP/1.1 pipeline of the metadata listeners: codec, an aggregator with a small
 * maximum (larger bodies get 413 from Netty), an idle timeout, then the request handler.
 */
public final class MetadataServerInitializer extends ChannelInitializer<SocketChannel> {

    /** Requests are GETs, one PUT without a body and small boot reports; 64 KiB is generous. */
    public static final int MAX_CONTENT_BYTES = 64 * 1024;

    private final Supplier<ChannelHandler> handler;
    private final Duration idleTimeout;

    /** @param handler makes the last handler of each connection's pipeline */
    public MetadataServerInitializer(Supplier<ChannelHandler> handler, Duration idleTimeout) {
        this.handler = handler;
        this.idleTimeout = idleTimeout;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channel.pipeline()
            .addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
            .addLast("codec", new HttpServerCodec())
            .addLast("aggregator", new HttpObjectAggregator(MAX_CONTENT_BYTES))
            .addLast("handler", handler.get());
    }
}
