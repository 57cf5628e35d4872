package lab.metadata;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.util.Objects;
import java.util.function.Supplier;
import lab.metadata.http.HttpGuard;

/**
 * The pipeline of a metadata connection: the shared {@link HttpGuard}'s handlers (request deadline, idle timeout,
 * bounded codec and aggregator; its connection caps sit on the listeners), then the request handler.
 */
public final class MetadataServerInitializer extends ChannelInitializer<SocketChannel> {

    private final HttpGuard guard;
    private final Supplier<ChannelHandler> handler;

    /** @param handler makes the last handler of each connection's pipeline */
    public MetadataServerInitializer(HttpGuard guard, Supplier<ChannelHandler> handler) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        guard.protect(channel);
        channel.pipeline().addLast("handler", handler.get());
    }
}
