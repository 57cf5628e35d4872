package lab.metadata.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open connections of one server, in total and per client address, across all its listeners and event loops.
 * A connection past either cap is refused: closed before any byte of it is read, and counted.
 *
 * <p>It sits in the pipeline of each listening channel, where an accepted connection passes before it is registered
 * with an event loop: a refused one is closed right in the accept loop and costs no registration, no pipeline and no
 * task on a busy loop, so a flood cannot pile up file descriptors waiting to be refused.
 *
 * <p>Both caps exist because either alone fails: a total cap alone lets one hostile VM fill every slot and lock the
 * other VMs out; a per-address cap alone lets many addresses exhaust the process's file descriptors. Refusals are
 * logged at WARN at most once a minute per server, with how many there were since: a flood must not become a log
 * flood.
 */
@ChannelHandler.Sharable
final class ConnectionQuotaHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionQuotaHandler.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String server;
    private final int maxTotal;
    private final int maxPerAddress;
    private final HttpRefusalCounters counters;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, Integer> openByAddress = new ConcurrentHashMap<>();
    private final AtomicLong refusedSinceWarn = new AtomicLong();
    private final AtomicLong nextWarnAt = new AtomicLong(System.nanoTime());

    ConnectionQuotaHandler(String server, int maxTotal, int maxPerAddress, HttpRefusalCounters counters) {
        this.server = server;
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.counters = counters;
    }

    /** An accepted connection: passed on to be registered if it gets a slot, else closed at once. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel connection = (Channel) msg;
        if (admit(connection)) {
            ctx.fireChannelRead(connection);
        } else {
            connection.unsafe().closeForcibly();
        }
    }

    /**
     * Takes a slot for {@code channel} and gives it back when the channel closes; or, when a cap is reached, counts
     * the refusal and returns false.
     */
    private boolean admit(Channel channel) {
        Optional<InetAddress> address = addressOf(channel.remoteAddress());
        if (open.incrementAndGet() > maxTotal) {
            open.decrementAndGet();
            refuse(HttpRefusal.SERVER_CONNECTION_LIMIT, address);
            return false;
        }
        if (address.isPresent() && !takeAddressSlot(address.get())) {
            open.decrementAndGet();
            refuse(HttpRefusal.ADDRESS_CONNECTION_LIMIT, address);
            return false;
        }
        channel.closeFuture().addListener(closed -> {
            address.ifPresent(this::releaseAddressSlot);
            open.decrementAndGet();
        });
        return true;
    }

    /** Connections holding a slot now. */
    int open() {
        return open.get();
    }

    private boolean takeAddressSlot(InetAddress address) {
        boolean[] taken = {false};
        openByAddress.compute(address, (a, n) -> {
            int held = n == null ? 0 : n;
            if (held >= maxPerAddress) {
                return n;
            }
            taken[0] = true;
            return held + 1;
        });
        return taken[0];
    }

    private void releaseAddressSlot(InetAddress address) {
        openByAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    private void refuse(HttpRefusal reason, Optional<InetAddress> address) {
        counters.count(reason);
        long refused = refusedSinceWarn.incrementAndGet();
        long now = System.nanoTime();
        long due = nextWarnAt.get();
        if (now - due >= 0 && nextWarnAt.compareAndSet(due, now + WARN_EVERY_NANOS)) {
            refusedSinceWarn.addAndGet(-refused);
            LOG.warn("http connections refused server={} reason={} caller={} refused={} max_connections={} "
                    + "max_per_address={} (next report in a minute at most)", server, reason.label(),
                address.map(InetAddress::getHostAddress).orElse("-"), refused, maxTotal, maxPerAddress);
        } else {
            LOG.debug("http connection refused server={} reason={} caller={}", server, reason.label(),
                address.map(InetAddress::getHostAddress).orElse("-"));
        }
    }

    private static Optional<InetAddress> addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? Optional.ofNullable(inet.getAddress()) : Optional.empty();
    }
}
