package lab.dns;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP question in, one answer out to its sender: rate-limited per client first, answered at once from the
 * zone (on the event loop) or, when forwarded, once the upstream replied. Writes are flushed once per read cycle.
 */
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger LOG = LoggerFactory.getLogger(UdpQueryHandler.class);

    private final DnsAnswerer answerer;
    private final ClientRateLimit rateLimit;
    private final DnsCounters counters;

    UdpQueryHandler(DnsAnswerer answerer, ClientRateLimit rateLimit, DnsCounters counters) {
        this.answerer = Objects.requireNonNull(answerer, "answerer");
        this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        InetSocketAddress sender = packet.sender();
        ClientRateLimit.Verdict verdict = rateLimit.check(sender.getAddress(), System.nanoTime());
        if (verdict != ClientRateLimit.Verdict.ANSWER) {
            counters.rateLimited.increment();
            if (verdict == ClientRateLimit.Verdict.DROP_FIRST) {
                LOG.warn("DNS client over the rate limit, its questions are dropped until it slows down client={}",
                        sender.getAddress().getHostAddress());
            }
            return;
        }
        byte[] wire = ByteBufUtil.getBytes(packet.content());
        answerer.answer(wire, Transport.UDP).whenComplete((response, failure) -> {
            if (failure != null) {
                LOG.warn("DNS answer failed for {}: {}", sender, failure.toString());
            } else if (response.isPresent()) {
                DatagramPacket reply = new DatagramPacket(Unpooled.wrappedBuffer(response.get()), sender);
                if (ctx.executor().inEventLoop()) {
                    ctx.write(reply);
                } else {
                    ctx.writeAndFlush(reply);
                }
            }
        });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A send error (ICMP unreachable surfaced by the kernel) must not close the server's only UDP socket.
        LOG.debug("DNS UDP socket error: {}", cause.toString());
    }
}
