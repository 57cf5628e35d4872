package lab.metadata.link;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-spoofing for everything a VM asks by its address: a caller on the link is answered only when the MAC the
 * kernel holds for it is the MAC of the lease its address belongs to. Another host that takes over a VM's address
 * (its ARP reply replaces the VM's entry) is refused, with a WARN naming both MACs at most once a minute per pair.
 *
 * <p>A caller with no neighbour entry is behind a relay (its packets carry the router's MAC), where the link
 * layer cannot tell; it is admitted, as the TCP handshake already proved the address routes back to it.
 */
public final class CallerMacCheck {

    private static final Logger LOG = LoggerFactory.getLogger(CallerMacCheck.class);
    private static final long WARN_INTERVAL_NANOS = 60_000_000_000L;
    /** Pairs remembered for throttling; a flood of forged MACs only ever costs this much memory. */
    private static final int MAX_REMEMBERED = 1024;

    private final Map<String, Long> lastWarned = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();

    /**
     * Whether the caller may be answered for the lease of {@code leaseMac}.
     *
     * @param service   what was asked, for the WARN ({@code metadata}, {@code password server}, ...)
     * @param callerMac the kernel's MAC for the caller, empty when it is not on the link
     */
    public boolean admits(String service, InetAddress caller, String leaseMac, Optional<String> callerMac) {
        Objects.requireNonNull(leaseMac, "leaseMac");
        if (callerMac.isEmpty() || callerMac.get().equalsIgnoreCase(leaseMac)) {
            return true;
        }
        refused.increment();
        String pair = caller.getHostAddress() + " " + callerMac.get();
        long now = System.nanoTime();
        Long last = lastWarned.get(pair);
        if (last == null || now - last >= WARN_INTERVAL_NANOS) {
            if (lastWarned.size() >= MAX_REMEMBERED) {
                lastWarned.clear();
            }
            lastWarned.put(pair, now);
            LOG.warn("{} request refused: the caller's MAC is not its lease's (address taken over?) caller={} "
                + "lease_mac={} caller_mac={} status=403", service, caller.getHostAddress(), leaseMac,
                callerMac.get());
        }
        return false;
    }

    /** Requests refused since start, for metrics. */
    public long refused() {
        return refused.sum();
    }
}
