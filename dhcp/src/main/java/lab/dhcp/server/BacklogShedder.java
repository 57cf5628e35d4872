package lab.dhcp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;
import lab.dhcp.codec.DhcpTrafficCounters;
import lab.dhcp.codec.DropReason;
import lab.dhcp.codec.ThrottledLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Sheds DISCOVERs while the socket stays backlogged, before they are parsed. First in the pipeline, it counts the
 * datagrams of each read cycle; a cycle that reads its maximum leaves more waiting in the kernel. When every cycle
 * has been full for {@link #SUSTAINED_NANOS}, the server is behind its arrivals: each new exchange it starts would
 * only push the REQUESTs of clients it already offered out of the socket queue, so DISCOVERs are dropped (counted as
 * {@code overloaded}, logged at most every 10 s) until a cycle empties the queue. A boot burst of a few hundred
 * clients is worked off within that time and never counts.
 *
 * <p>Dropping must cost next to nothing, or a flood of DISCOVERs would still take the core: so the message type is
 * read from the raw options here (one walk over them) instead of by dhcp4java's full parse, which the decoder does
 * for everything that passes. Confined to the channel's event loop.
 */
final class BacklogShedder extends ChannelInboundHandlerAdapter {

    /** How long a backlog must last to count as overload: a 100-VM burst takes about 10 ms to answer. */
    static final long SUSTAINED_NANOS = 50_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(BacklogShedder.class);
    /** BOOTP fixed header (236 bytes) and the magic cookie: where the options begin. */
    private static final int OPTIONS_OFFSET = 240;
    private static final int PAD = 0;
    private static final int END = 255;
    private static final int MESSAGE_TYPE = 53;
    private static final int DISCOVER = 1;

    private final int readsPerCycle;
    private final DhcpTrafficCounters counters;
    private final ThrottledLog shedLog;
    private final LongSupplier nanoTime;
    private int readsThisCycle;
    private long backlogSince = -1;
    private boolean overloaded;

    /** @param readsPerCycle the channel's maximum datagrams per read cycle */
    BacklogShedder(int readsPerCycle, DhcpTrafficCounters counters, Clock clock) {
        this(readsPerCycle, counters, clock, System::nanoTime);
    }

    BacklogShedder(int readsPerCycle, DhcpTrafficCounters counters, Clock clock, LongSupplier nanoTime) {
        this.readsPerCycle = readsPerCycle;
        this.counters = counters;
        this.shedLog = new ThrottledLog(LOG, Level.WARN, clock, Duration.ofSeconds(10));
        this.nanoTime = nanoTime;
    }

    /** True while the socket has stayed backlogged for longer than {@link #SUSTAINED_NANOS}. */
    boolean overloaded() {
        return overloaded;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readsThisCycle++;
        if (overloaded && msg instanceof DatagramPacket datagram && isDiscover(datagram.content())) {
            datagram.release();
            counters.dropped(DropReason.OVERLOADED);
            shedLog.log("shedding load, DISCOVER dropped: the socket has stayed backlogged for {} ms or more",
                    SUSTAINED_NANOS / 1_000_000);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        cycleEnded(readsThisCycle);
        readsThisCycle = 0;
        ctx.fireChannelReadComplete();
    }

    /** Updates the state after a read cycle of {@code reads} datagrams. */
    void cycleEnded(int reads) {
        if (reads < readsPerCycle) {
            backlogSince = -1;
            overloaded = false;
            return;
        }
        long now = nanoTime.getAsLong();
        if (backlogSince < 0) {
            backlogSince = now;
        }
        overloaded = now - backlogSince >= SUSTAINED_NANOS;
    }

    /**
     * Whether the options say DHCPDISCOVER, read as the decoder reads them: the instances of option 53 joined
     * (RFC 3396 §7), so a DISCOVER split into an empty and a one-byte instance is one too. Anything unusual
     * (truncated, no END, option 53 missing or not one byte in all, or carried in the overloaded sname/file fields)
     * reads as "not a DISCOVER" and goes on to the decoder's full checks. The walk goes on to END instead of stopping
     * at the first option 53: for a real client's DISCOVER, a dozen more steps per packet shed.
     */
    static boolean isDiscover(ByteBuf content) {
        int start = content.readerIndex();
        int end = start + content.readableBytes();
        int i = start + OPTIONS_OFFSET;
        int typeLength = 0;
        int type = -1;
        while (i < end) {
            int code = content.getUnsignedByte(i);
            if (code == PAD) {
                i++;
                continue;
            }
            if (code == END) {
                return typeLength == 1 && type == DISCOVER;
            }
            if (i + 1 >= end) {
                return false;
            }
            int length = content.getUnsignedByte(i + 1);
            if (i + 2 + length > end) {
                return false;
            }
            if (code == MESSAGE_TYPE) {
                if (typeLength == 0 && length > 0) {
                    type = content.getUnsignedByte(i + 2);
                }
                typeLength += length;
            }
            i += 2 + length;
        }
        return false;
    }
}
