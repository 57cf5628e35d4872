package lab.dhcp.server;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import lab.dhcp.MacAddress;
import lab.dhcp.codec.DhcpDatagram;
import lab.dhcp.codec.DhcpMessageType;
import lab.dhcp.codec.DhcpReply;
import lab.dhcp.codec.DhcpTrafficCounters;
import lab.dhcp.codec.DropReason;
import lab.dhcp.codec.ThrottledLog;
import lab.dhcp.codec.UnsendableReplyException;
import org.dhcp4java.DHCPPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * Hands each decoded request to the {@link DhcpResponder} and writes its reply when the responder's stage
 * completes, which is on this channel's event loop (the responder is given it for stages that wait); it never
 * waits. The pipeline's flush consolidation turns the flushes of one burst into one {@code sendmmsg}.
 *
 * <p>Nothing about one request can stop the next one being answered: a responder that throws or fails is logged
 * at ERROR (at most once per second) and answered with nothing; one that sheds the request under load
 * ({@link OverloadedException}) is counted and logged at WARN at most once per 10 s; one whose lease could not be
 * stored ({@link LeaseNotStoredException}) is counted, and logged at DEBUG only. A reply that finds the channel
 * unwritable (the socket's send queue full, see {@link DhcpServer}) is dropped and counted as
 * {@link DropReason#SEND_BACKLOG}, logged at WARN at most once per 10 s: queued, it would leave after the client's
 * retransmission, and the queue would grow without bound. While DEBUG is on, {@code mac}
 * and {@code xid} are in the SLF4J MDC while a request is handled and while its reply is written.
 */
public final class DhcpServerHandler extends SimpleChannelInboundHandler<DhcpDatagram> {

    private static final Logger LOG = LoggerFactory.getLogger(DhcpServerHandler.class);

    private final DhcpResponder responder;
    private final DhcpTrafficCounters counters;
    private final ThrottledLog errorLog;
    private final ThrottledLog sendLog;
    private final ThrottledLog shedLog;
    private final ThrottledLog backlogLog;

    public DhcpServerHandler(DhcpResponder responder, DhcpTrafficCounters counters, Clock clock) {
        super(DhcpDatagram.class);
        this.responder = Objects.requireNonNull(responder, "responder");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.errorLog = new ThrottledLog(LOG, Level.ERROR, clock, Duration.ofSeconds(1));
        this.sendLog = new ThrottledLog(LOG, Level.WARN, clock, Duration.ofSeconds(1));
        // A flood sheds thousands a second for as long as it lasts: one line per 10 s, with the count skipped.
        this.shedLog = new ThrottledLog(LOG, Level.WARN, clock, Duration.ofSeconds(10));
        this.backlogLog = new ThrottledLog(LOG, Level.WARN, clock, Duration.ofSeconds(10));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DhcpDatagram request) {
        PacketContext packet = PacketContext.of(request.packet());
        packet.enterMdc();
        try {
            if (LOG.isDebugEnabled()) {
                LOG.debug("request received type={} mac={} xid={} sender={} recipient={}",
                        messageType(request.packet()).label(), packet.mac(), packet.xid(), request.sender(),
                        request.recipient());
            }
            CompletionStage<Optional<DhcpReply>> stage = responder.respond(request, ctx.executor());
            if (stage == null) {
                throw new IllegalStateException("responder returned no stage");
            }
            CompletableFuture<Optional<DhcpReply>> future = stage.toCompletableFuture();
            if (future.isDone() && !future.isCompletedExceptionally()) {
                // OFFERs and NAKs are decided at once: no callback to allocate for them.
                complete(ctx, packet, future.getNow(Optional.empty()), null);
            } else {
                stage.whenComplete((reply, error) -> complete(ctx, packet, reply, error));
            }
        } catch (RuntimeException e) {
            complete(ctx, packet, null, e);
        } finally {
            packet.leaveMdc();
        }
    }

    private void complete(ChannelHandlerContext ctx, PacketContext packet, Optional<DhcpReply> reply,
                          Throwable error) {
        packet.enterMdc();
        try {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof OverloadedException overloaded) {
                counters.dropped(DropReason.OVERLOADED);
                shedLog.log("shedding load, request dropped reason=\"{}\" mac={} xid={}", overloaded.getMessage(),
                        packet.mac(), packet.xid());
            } else if (cause instanceof LeaseNotStoredException notStored) {
                // The lease store logged the outage once; one line per packet here would flood the log.
                counters.dropped(DropReason.LEASE_NOT_STORED);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("no reply, lease not stored mac={} xid={} reason=\"{}\"", packet.mac(), packet.xid(),
                            notStored.getMessage());
                }
            } else if (error != null) {
                counters.dropped(DropReason.RESPONDER_ERROR);
                errorLog.log("request failed mac={} xid={}", packet.mac(), packet.xid(), error);
            } else if (reply == null || reply.isEmpty()) {
                counters.dropped(DropReason.NO_REPLY);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("no reply mac={} xid={}", packet.mac(), packet.xid());
                }
            } else if (!ctx.channel().isWritable()) {
                counters.dropped(DropReason.SEND_BACKLOG);
                backlogLog.log("reply dropped, the socket's send queue is full type={} mac={} xid={} recipient={}",
                        messageType(reply.get().packet()).label(), packet.mac(), packet.xid(), reply.get().recipient());
            } else {
                DhcpReply answer = reply.get();
                DhcpMessageType type = messageType(answer.packet());
                ctx.writeAndFlush(answer).addListener(
                        (ChannelFuture future) -> written(future, packet, type, answer));
            }
        } catch (RuntimeException e) {
            counters.dropped(DropReason.RESPONDER_ERROR);
            errorLog.log("reply failed mac={} xid={}", packet.mac(), packet.xid(), e);
        } finally {
            packet.leaveMdc();
        }
    }

    private void written(ChannelFuture future, PacketContext packet, DhcpMessageType type, DhcpReply reply) {
        packet.enterMdc();
        try {
            if (future.isSuccess()) {
                counters.sent(type);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("reply sent type={} mac={} xid={} recipient={}", type.label(), packet.mac(),
                            packet.xid(), reply.recipient());
                }
            } else if (!(future.cause() instanceof UnsendableReplyException)) {
                // An UnsendableReplyException was counted and logged by the encoder; anything else is the socket's.
                counters.dropped(DropReason.SEND_FAILED);
                sendLog.log("reply not sent type={} mac={} xid={} recipient={}", type.label(), packet.mac(),
                        packet.xid(), reply.recipient(), future.cause());
            }
        } finally {
            packet.leaveMdc();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket error (e.g. ICMP feedback) concerns one datagram; the channel stays open for the next.
        sendLog.log("DHCP socket error channel={}", ctx.channel(), cause);
    }

    private static DhcpMessageType messageType(DHCPPacket packet) {
        byte[] raw = packet.getOptionRaw((byte) 53);
        return raw != null && raw.length == 1 ? DhcpMessageType.of(raw[0] & 0xFF) : DhcpMessageType.OTHER;
    }

    /**
     * The log identity of one request, kept as the packet's MAC and xid and turned into text only when a line is
     * written. The MDC is filled only while DEBUG is on, for the per-packet lines it serves: putting and removing two
     * entries around every packet was 6 % of the event loop at saturation, for a pattern that does not print them.
     */
    private static final class PacketContext {
        private final MacAddress mac;
        private final int xid;
        private final boolean mdc;

        private PacketContext(MacAddress mac, int xid, boolean mdc) {
            this.mac = mac;
            this.xid = xid;
            this.mdc = mdc;
        }

        static PacketContext of(DHCPPacket packet) {
            return new PacketContext(MacAddress.of(packet.getChaddr()), packet.getXid(), LOG.isDebugEnabled());
        }

        String mac() {
            return mac.toString();
        }

        String xid() {
            return "0x" + HexFormat.of().toHexDigits(xid);
        }

        void enterMdc() {
            if (mdc) {
                MDC.put("mac", mac());
                MDC.put("xid", xid());
            }
        }

        void leaveMdc() {
            if (mdc) {
                MDC.remove("mac");
                MDC.remove("xid");
            }
        }
    }
}
