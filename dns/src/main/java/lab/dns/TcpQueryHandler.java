package lab.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Questions on one TCP connection, each a frame the length decoder cut out: answered in turn (forwarded answers
 * may overtake each other, which RFC 7766 allows), written with their length prefix; the connection is closed when
 * idle, or when a question cannot be answered at all.
 */
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {

    private static final Logger LOG = LoggerFactory.getLogger(TcpQueryHandler.class);

    private final DnsAnswerer answerer;

    TcpQueryHandler(DnsAnswerer answerer) {
        this.answerer = Objects.requireNonNull(answerer, "answerer");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        byte[] wire = ByteBufUtil.getBytes(frame);
        answerer.answer(wire, Transport.TCP).whenComplete((response, failure) -> {
            if (failure != null || response.isEmpty()) {
                ctx.close();
                return;
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(response.get()));
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A frame longer than the decoder allows, or a reset: the connection goes, the server stays.
        LOG.debug("DNS TCP connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
