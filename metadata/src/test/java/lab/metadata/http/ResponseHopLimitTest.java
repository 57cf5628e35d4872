package lab.metadata.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ResponseHopLimitTest {

    @Test
    void anAcceptedEpollConnectionSendsWithTheTtlAsked() throws Exception {
        assumeThat(Epoll.isAvailable()).as("epoll transport (Linux)").isTrue();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        try {
            Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        accepted.complete(channel);
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(),
                ((InetSocketAddress) server.localAddress()).getPort())) {
                Channel channel = accepted.get(5, TimeUnit.SECONDS);
                IntegerUnixChannelOption ttl = new IntegerUnixChannelOption("IP_TTL", 0, 2);
                int hostDefault = Integer.parseInt(
                    Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_default_ttl")).get(0).strip());
                assertThat(channel.config().getOption(ttl)).as("the namespace's default").isEqualTo(hostDefault);
                assertThat(ResponseHopLimit.limit(channel, 1)).isTrue();
                assertThat(channel.config().getOption(ttl)).isEqualTo(1);
            } finally {
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
