package lab.metadata.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TCP listeners on a list of addresses sharing one event loop group and one {@link HttpGuard}: what every HTTP server
 * of the appliance binds and closes. Binding fails as a whole, naming the address that could not be bound.
 * Netty's epoll transport where it loads (Linux), as it can set socket options Java cannot (an IMDSv2 token's IP TTL);
 * NIO elsewhere.
 */
public final class HttpListeners implements AutoCloseable {

    private final EventLoopGroup group;
    private final List<Channel> channels;

    private HttpListeners(EventLoopGroup group, List<Channel> channels) {
        this.group = group;
        this.channels = channels;
    }

    /**
     * Binds every address, {@code guard}'s connection caps on each listening channel and {@code initializer} on each
     * accepted connection (it calls {@link HttpGuard#protect}); on the first failure closes what was bound and throws
     * an {@link IOException} naming {@code what} and the address.
     */
    public static HttpListeners bind(String what, List<InetSocketAddress> addresses, int threads, HttpGuard guard,
                                     ChannelInitializer<SocketChannel> initializer) throws IOException {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException(what + ": no listen address");
        }
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> channelType = epoll
            ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.SO_REUSEADDR, true)
            .handler(guard.acceptor())
            .childHandler(initializer);
        List<Channel> bound = new ArrayList<>();
        HttpListeners listeners = new HttpListeners(group, bound);
        for (InetSocketAddress address : addresses) {
            try {
                bound.add(bootstrap.bind(address).sync().channel());
            } catch (Exception e) {
                listeners.close();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException(what + ": cannot listen on " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + ": " + e.getMessage(), e);
            }
        }
        return listeners;
    }

    /** The bound addresses, in the order given (ports resolved when 0 was asked). */
    public List<InetSocketAddress> localAddresses() {
        return channels.stream().map(channel -> (InetSocketAddress) channel.localAddress()).toList();
    }

    @Override
    public void close() {
        channels.forEach(channel -> channel.close().syncUninterruptibly());
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
