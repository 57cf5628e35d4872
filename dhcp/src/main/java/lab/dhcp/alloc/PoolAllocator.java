package lab.dhcp.alloc;

import java.net.Inet4Address;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import lab.dhcp.Ipv4;
import lab.dhcp.MacAddress;
import lab.dhcp.engine.HostCatalog;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseState;
import lab.dhcp.lease.LeaseView;

/**
 * Chooses the address to offer a client and judges whether a client may have the address it requests.
 *
 * <p>Order of preference for an offer (RFC 2131 §4.3.1): the MAC's reservation; the address already offered to it;
 * its current or previous lease; the address it asks for (option 50); then the next free pool address from a
 * rotating cursor, first among addresses no other MAC has ever held (so a returning MAC finds its old address
 * free), then among any free address. The chosen address is held in {@link PendingOffers} for the client.
 *
 * <p>Callers serialise offers through this object's lock; the lease table may change concurrently, which only
 * ever adds blocking leases for addresses already held here.
 */
public final class PoolAllocator {

    private final List<AddressPool> pools;
    private final LeaseView leases;
    private final PendingOffers offers;
    private final HostCatalog hosts;
    private final Clock clock;
    private final long totalSize;
    private int poolCursor;
    private long offsetCursor;
    private boolean unusedMayRemain = true;

    public PoolAllocator(List<AddressPool> pools, LeaseView leases, PendingOffers offers, HostCatalog hosts, Clock clock) {
        this.pools = List.copyOf(pools);
        this.leases = Objects.requireNonNull(leases, "leases");
        this.offers = Objects.requireNonNull(offers, "offers");
        this.hosts = Objects.requireNonNull(hosts, "hosts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.totalSize = this.pools.stream().mapToLong(AddressPool::size).sum();
    }

    /** Picks and holds an address for {@code mac}; empty when it has none to give (pool exhausted, reservation blocked). */
    public synchronized Optional<Inet4Address> offer(MacAddress mac, Optional<Inet4Address> requested) {
        Instant now = clock.instant();
        Optional<Inet4Address> fixed = hosts.fixedAddress(mac);
        if (fixed.isPresent()) {
            return holdIf(mac, fixed.get(), now);
        }
        Optional<Inet4Address> chosen = offers.heldFor(mac)
                .filter(ip -> verdict(mac, ip, now).allowed())
                .or(() -> leases.byMac(mac).map(Lease::ip).filter(ip -> verdict(mac, ip, now).allowed()))
                .or(() -> requested.filter(ip -> verdict(mac, ip, now).allowed()))
                .or(() -> nextFree(mac, now));
        chosen.ifPresent(ip -> offers.hold(mac, ip));
        return chosen;
    }

    /**
     * Claims {@code ip} for {@code mac} when a REQUEST asks for it: holds it (so no parallel request can take it while
     * the lease is written) and returns ALLOWED, or returns why not and holds nothing.
     */
    public synchronized AddressVerdict claim(MacAddress mac, Inet4Address ip) {
        AddressVerdict verdict = verdict(mac, ip, clock.instant());
        if (verdict.allowed()) {
            offers.hold(mac, ip);
        }
        return verdict;
    }

    /** Whether {@code ip} is the address reserved for {@code mac}. */
    public boolean isReservedFor(MacAddress mac, Inet4Address ip) {
        return hosts.fixedAddress(mac).filter(ip::equals).isPresent();
    }

    /** Whether {@code mac} may have {@code ip} at {@code now}. */
    public AddressVerdict verdict(MacAddress mac, Inet4Address ip, Instant now) {
        Optional<Inet4Address> fixed = hosts.fixedAddress(mac);
        if (fixed.isPresent() && !fixed.get().equals(ip)) {
            return AddressVerdict.RESERVED_ELSEWHERE;
        }
        if (fixed.isEmpty()) {
            Optional<MacAddress> owner = hosts.reservedFor(ip);
            if (owner.isPresent() && !owner.get().equals(mac)) {
                return AddressVerdict.RESERVED_FOR_OTHER;
            }
            if (!inPools(Ipv4.toInt(ip))) {
                return AddressVerdict.NOT_IN_POOL;
            }
        }
        return occupancy(mac, Ipv4.toInt(ip), ip, now);
    }

    /** True when {@code ip} lies in one of the pools. */
    public boolean inPools(Inet4Address ip) {
        return inPools(Ipv4.toInt(ip));
    }

    /** The pools this allocator hands out from. */
    public List<AddressPool> pools() {
        return pools;
    }

    private AddressVerdict occupancy(MacAddress mac, int key, Inet4Address ip, Instant now) {
        Optional<Lease> lease = leases.byIp(ip);
        if (lease.isPresent() && lease.get().blocksAddressAt(now)) {
            if (lease.get().state() == LeaseState.DECLINED) {
                return AddressVerdict.QUARANTINED;
            }
            if (!lease.get().mac().equals(mac)) {
                return AddressVerdict.LEASED_TO_OTHER;
            }
        }
        if (offers.heldByOther(key, mac)) {
            return AddressVerdict.OFFERED_TO_OTHER;
        }
        return AddressVerdict.ALLOWED;
    }

    private Optional<Inet4Address> holdIf(MacAddress mac, Inet4Address ip, Instant now) {
        if (!occupancy(mac, Ipv4.toInt(ip), ip, now).allowed()) {
            return Optional.empty();
        }
        offers.hold(mac, ip);
        return Optional.of(ip);
    }

    private boolean inPools(int ip) {
        for (AddressPool pool : pools) {
            if (pool.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    private Optional<Inet4Address> nextFree(MacAddress mac, Instant now) {
        if (unusedMayRemain) {
            Optional<Inet4Address> unused = scan(mac, now, true);
            if (unused.isPresent()) {
                return unused;
            }
            // Addresses never become "never used" again, so one fruitless full scan settles it.
            unusedMayRemain = false;
        }
        return scan(mac, now, false);
    }

    /** Walks every pool address once from the cursor; leaves the cursor just past the address it returns. */
    private Optional<Inet4Address> scan(MacAddress mac, Instant now, boolean neverUsedOnly) {
        for (long step = 0; step < totalSize; step++) {
            AddressPool pool = pools.get(poolCursor);
            int key = Ipv4.toInt(pool.first()) + (int) offsetCursor;
            advance(pool);
            Inet4Address ip = Ipv4.fromInt(key);
            if (hosts.reservedFor(ip).isPresent()) {
                continue;
            }
            Optional<Lease> lease = leases.byIp(ip);
            if (neverUsedOnly && lease.isPresent()) {
                continue;
            }
            if (lease.isPresent() && lease.get().blocksAddressAt(now)) {
                continue;
            }
            if (offers.heldByOther(key, mac)) {
                continue;
            }
            return Optional.of(ip);
        }
        return Optional.empty();
    }

    private void advance(AddressPool pool) {
        offsetCursor++;
        if (offsetCursor >= pool.size()) {
            offsetCursor = 0;
            poolCursor = (poolCursor + 1) % pools.size();
        }
    }
}
