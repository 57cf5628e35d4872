package lab.metadata.http;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;

/**
 * Lowers a connection's IP TTL so its answers cannot be forwarded past the first hop: AWS sends IMDSv2 token
 * responses with hop limit 1, so a container or proxy one router away inside the VM never gets a token. Java's
 * socket API has no unicast TTL, so this needs Netty's epoll transport and a raw {@code setsockopt(IP_TTL)}.
 */
final class ResponseHopLimit {

    private static final int IPPROTO_IP = 0;
    private static final int IP_TTL = 2;
    private static final IntegerUnixChannelOption TTL = new IntegerUnixChannelOption("IP_TTL", IPPROTO_IP, IP_TTL);

    private ResponseHopLimit() {
    }

    /**
     * Sets the TTL of everything the connection sends from now on; false when the transport cannot (NIO). Only for
     * callers on the link: one behind a relay is a hop away already and would never see the answer.
     */
    static boolean limit(Channel channel, int ttl) {
        return channel instanceof EpollSocketChannel && channel.config().setOption(TTL, ttl);
    }
}
