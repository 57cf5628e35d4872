package lab.dhcp.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.DatagramChannel;
import java.time.Clock;
import java.util.Objects;
import lab.dhcp.codec.DhcpDatagramDecoder;
import lab.dhcp.codec.DhcpReplyEncoder;
import lab.dhcp.codec.DhcpTrafficCounters;

/** Builds the DHCP pipeline: datagram → {@link DhcpDatagramDecoder} → {@link DhcpServerHandler}, replies back out
 * through {@link DhcpReplyEncoder}. */
public final class DhcpServerInitializer extends ChannelInitializer<DatagramChannel> {

    private final DhcpResponder responder;
    private final DhcpTrafficCounters counters;
    private final Clock clock;

    public DhcpServerInitializer(DhcpResponder responder, DhcpTrafficCounters counters, Clock clock) {
        this.responder = Objects.requireNonNull(responder, "responder");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    protected void initChannel(DatagramChannel channel) {
        channel.pipeline()
                .addLast("decoder", new DhcpDatagramDecoder(counters, clock))
                .addLast("encoder", new DhcpReplyEncoder(counters, clock))
                .addLast("handler", new DhcpServerHandler(responder, counters, clock));
    }
}
