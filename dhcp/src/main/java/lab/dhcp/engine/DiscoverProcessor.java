package lab.dhcp.engine;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import lab.dhcp.alloc.PoolAllocator;
import lab.dhcp.codec.DhcpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** DISCOVER → OFFER (RFC 2131 §4.3.1): picks and holds an address, writes nothing to disk. */
final class DiscoverProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(DiscoverProcessor.class);
    private static final long EXHAUSTION_WARN_INTERVAL_NANOS = 10_000_000_000L;

    private final PoolAllocator allocator;
    private final ReplyComposer composer;
    private final LongAdder exhausted = new LongAdder();
    private final AtomicLong lastExhaustionWarning = new AtomicLong(System.nanoTime() - EXHAUSTION_WARN_INTERVAL_NANOS);

    DiscoverProcessor(PoolAllocator allocator, ReplyComposer composer) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.composer = Objects.requireNonNull(composer, "composer");
    }

    /** @param host who the client is, as the engine looked it up for this message */
    Optional<DhcpReply> process(ClientContext client, HostEntry host) {
        Optional<Inet4Address> address = allocator.offer(client.mac(), client.requestedIp());
        if (address.isEmpty()) {
            if (host.fixedAddress().isPresent()) {
                LOG.debug("no offer: reserved address unavailable mac={} ip={}",
                        client.mac(), host.fixedAddress().get().getHostAddress());
            } else {
                noFreeAddress(client);
            }
            return Optional.empty();
        }
        LOG.debug("offer mac={} ip={}", client.mac(), address.get().getHostAddress());
        return Optional.of(composer.offer(client, address.get(), host.hostname()));
    }

    /** How many DISCOVERs went unanswered because every pool address was taken. */
    long exhaustedCount() {
        return exhausted.sum();
    }

    private void noFreeAddress(ClientContext client) {
        exhausted.increment();
        long now = System.nanoTime();
        long last = lastExhaustionWarning.get();
        // One WARN per interval: a full pool under a boot storm would otherwise flood the log.
        if (now - last >= EXHAUSTION_WARN_INTERVAL_NANOS && lastExhaustionWarning.compareAndSet(last, now)) {
            LOG.warn("pool exhausted, no offer mac={} pools={} unanswered_total={}",
                    client.mac(), allocator.pools(), exhausted.sum());
        } else {
            LOG.debug("pool exhausted, no offer mac={}", client.mac());
        }
    }
}
