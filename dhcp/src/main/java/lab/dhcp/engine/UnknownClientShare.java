package lab.dhcp.engine;

import java.net.Inet4Address;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import lab.dhcp.MacAddress;
import lab.dhcp.alloc.AddressPool;
import lab.dhcp.alloc.PendingOffers;
import lab.dhcp.alloc.PoolAllocator;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseView;

/**
 * Unknown clients' share of one subnet's pool addresses: which unknown MACs hold one of them (an unexpired offer or
 * an active lease), against the cap {@link UnknownClientLimits#cap} allows. The steps:
 * <ol>
 *   <li>when built (start-up, reload), the unknown holders are read from the lease table and the pending offers, so
 *       the count carries over to the engine a reload puts in place;</li>
 *   <li>each MAC admitted is remembered before it is offered an address;</li>
 *   <li>while fewer MACs than the cap are remembered there is room, with no further look. At the cap, each
 *       remembered MAC is checked against what it holds now, and those holding nothing (offer run out or declined for
 *       another server's, lease expired or released, address outside the pools after a reload) are forgotten; at
 *       most once per {@value #SWEEP_INTERVAL_MILLIS} ms, so that a flood knocking at a full share costs one walk of
 *       at most cap MACs a second.</li>
 * </ol>
 * The count thus lags an address set free by up to one sweep interval, and never exceeds the cap by more than the
 * requests admitted at the same moment. Thread-safe.
 */
final class UnknownClientShare {

    static final long SWEEP_INTERVAL_MILLIS = 1000;

    private final PoolAllocator allocator;
    private final PendingOffers offers;
    private final LeaseView leases;
    private final Clock clock;
    private final long poolSize;
    private final long cap;
    private final boolean capped;
    private final Set<MacAddress> holders = new HashSet<>();
    private long nextSweepMillis = Long.MIN_VALUE;

    /** @param hosts who is known, for the holders already in the lease table and the pending offers */
    UnknownClientShare(UnknownClientLimits limits, PoolAllocator allocator, PendingOffers offers, LeaseView leases,
                       HostCatalog hosts, Clock clock) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.offers = Objects.requireNonNull(offers, "offers");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.poolSize = allocator.pools().stream().mapToLong(AddressPool::size).sum();
        this.cap = limits.cap(poolSize);
        this.capped = limits.poolShare() < 100;
        if (capped) {
            Instant now = clock.instant();
            for (Lease lease : leases.all()) {
                if (lease.isActiveAt(now) && allocator.inPools(lease.ip())
                        && !hosts.knows(lease.mac(), Optional.empty())) {
                    holders.add(lease.mac());
                }
            }
            offers.forEachHold((mac, ip) -> {
                if (allocator.inPools(ip) && !hosts.knows(mac, Optional.empty())) {
                    holders.add(mac);
                }
            });
        }
    }

    /** Whether one more unknown client may take an address of these pools. */
    synchronized boolean hasRoom() {
        if (!capped || holders.size() < cap) {
            return true;
        }
        long now = clock.millis();
        if (now >= nextSweepMillis) {
            nextSweepMillis = now + SWEEP_INTERVAL_MILLIS;
            sweep();
        }
        return holders.size() < cap;
    }

    /** Remembers {@code mac} as about to hold one of these addresses. */
    synchronized void admitted(MacAddress mac) {
        if (capped) {
            holders.add(mac);
        }
    }

    /** How many unknown MACs are counted as holding an address now (up to a sweep interval behind). */
    synchronized int held() {
        return holders.size();
    }

    long cap() {
        return cap;
    }

    long poolSize() {
        return poolSize;
    }

    private void sweep() {
        Instant now = clock.instant();
        for (Iterator<MacAddress> it = holders.iterator(); it.hasNext(); ) {
            if (!holdsHere(it.next(), now)) {
                it.remove();
            }
        }
    }

    private boolean holdsHere(MacAddress mac, Instant now) {
        Optional<Inet4Address> offered = offers.heldFor(mac);
        if (offered.isPresent() && allocator.inPools(offered.get())) {
            return true;
        }
        return leases.byMac(mac).filter(lease -> lease.isActiveAt(now) && allocator.inPools(lease.ip())).isPresent();
    }
}
