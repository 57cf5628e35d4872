package lab.dhcp.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.time.Clock;
import java.util.Objects;
import lab.dhcp.codec.DhcpDatagramDecoder;
import lab.dhcp.codec.DhcpReplyEncoder;
import lab.dhcp.codec.DhcpTrafficCounters;

/**
 * Builds the DHCP pipeline: datagram → {@link DhcpDatagramDecoder} → {@link DhcpServerHandler}, replies back out
 * through {@link DhcpReplyEncoder} and a {@link FlushConsolidationHandler}, which sends the replies written during
 * one read burst (or one run of completed commits) with one flush, so one {@code sendmmsg} instead of a
 * {@code sendmsg} each. A {@link BacklogShedder} first in line drops DISCOVERs unparsed while the socket stays
 * backlogged.
 */
public final class DhcpServerInitializer extends ChannelInitializer<DatagramChannel> {

    /** At most this many replies wait for one flush; Netty's epoll transport sends up to 1024 per sendmmsg. */
    private static final int FLUSHES_PER_SEND = 64;

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
                .addLast("flush", new FlushConsolidationHandler(FLUSHES_PER_SEND, true))
                .addLast("shedder", new BacklogShedder(DhcpServer.READS_PER_CYCLE, counters, clock))
                .addLast("decoder", new DhcpDatagramDecoder(counters, clock))
                .addLast("encoder", new DhcpReplyEncoder(counters, clock))
                .addLast("handler", new DhcpServerHandler(responder, counters, clock));
    }
}
