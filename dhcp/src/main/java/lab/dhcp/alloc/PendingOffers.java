package lab.dhcp.alloc;

import java.net.Inet4Address;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import lab.dhcp.Ipv4;
import lab.dhcp.MacAddress;

/**
 * Addresses offered (or being committed) but not yet leased, held for their client for a short time so that a burst
 * of parallel DISCOVERs never gets the same address twice. A MAC holds at most one address.
 *
 * <p>Bounded: at most {@code limit} holds. A full set admits no new client ({@link #admits}), so under a flood the
 * server sheds new DISCOVERs and spends itself on the REQUESTs of clients it already offered, which is what ends a
 * storm. Holds of clients that never came back (another server's offer won, or their REQUEST was lost in the
 * flood) would keep it full for a whole hold time; so when full, holds older than {@link #IN_FLIGHT} are let go
 * early (a late REQUEST for such an address still gets it if nobody else took it meanwhile).
 *
 * <p>Thread-safe: the event loop holds and looks up; the journal thread lets go once a lease is durable.
 */
public final class PendingOffers {

    /** Default bound: room for every client of a large fleet boot, and for 100+ ms of DORAs at full speed. */
    public static final int DEFAULT_LIMIT = 2048;
    /** How long an offer normally waits for its REQUEST: real clients answer in milliseconds. */
    static final Duration IN_FLIGHT = Duration.ofSeconds(2);
    /** A full set is purged at most this often, so that shedding a flood stays cheap. */
    private static final long PURGE_INTERVAL_MILLIS = 100;

    private record Hold(MacAddress mac, Instant made, Instant until) {
    }

    private final Clock clock;
    private final Duration holdTime;
    private final int limit;
    private final AtomicLong nextPurgeMillis = new AtomicLong(Long.MIN_VALUE);
    private final ConcurrentHashMap<Integer, Hold> byIp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<MacAddress, Integer> byMac = new ConcurrentHashMap<>();

    public PendingOffers(Clock clock, Duration holdTime) {
        this(clock, holdTime, DEFAULT_LIMIT);
    }

    public PendingOffers(Clock clock, Duration holdTime, int limit) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.holdTime = Objects.requireNonNull(holdTime, "holdTime");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    /**
     * Whether a DISCOVER of {@code mac} may be offered an address now: yes if the MAC holds one already (a
     * retransmission) or there is room; when full, first lets go of holds past their expiry or older than
     * {@link #IN_FLIGHT}, at most once per {@value #PURGE_INTERVAL_MILLIS} ms.
     */
    public boolean admits(MacAddress mac) {
        if (byIp.size() < limit || byMac.containsKey(mac)) {
            return true;
        }
        long now = clock.millis();
        long next = nextPurgeMillis.get();
        if (now >= next && nextPurgeMillis.compareAndSet(next, now + PURGE_INTERVAL_MILLIS)) {
            Instant instant = clock.instant();
            purge(hold -> !instant.isBefore(hold.until()) || !instant.isBefore(hold.made().plus(IN_FLIGHT)));
        }
        return byIp.size() < limit;
    }

    /** The bound on holds. */
    public int limit() {
        return limit;
    }

    /** Holds {@code ip} for {@code mac} from now for the hold time, replacing what the MAC held before. */
    public void hold(MacAddress mac, Inet4Address ip) {
        int key = Ipv4.toInt(ip);
        Integer previous = byMac.put(mac, key);
        if (previous != null && previous != key) {
            byIp.remove(previous, byIp.get(previous));
        }
        Instant now = clock.instant();
        byIp.put(key, new Hold(mac, now, now.plus(holdTime)));
    }

    /** The address held for {@code mac}, if its hold has not run out. */
    public Optional<Inet4Address> heldFor(MacAddress mac) {
        Integer ip = byMac.get(mac);
        if (ip == null) {
            return Optional.empty();
        }
        Hold hold = byIp.get(ip);
        if (hold == null || !hold.mac().equals(mac) || !clock.instant().isBefore(hold.until())) {
            return Optional.empty();
        }
        return Optional.of(Ipv4.fromInt(ip));
    }

    /** True when {@code ip} is held, unexpired, for a MAC other than {@code mac}. */
    public boolean heldByOther(int ip, MacAddress mac) {
        Hold hold = byIp.get(ip);
        return hold != null && !hold.mac().equals(mac) && clock.instant().isBefore(hold.until());
    }

    /** Calls {@code action} with each unexpired hold's MAC and address, in no order. */
    public void forEachHold(BiConsumer<MacAddress, Inet4Address> action) {
        Instant now = clock.instant();
        byIp.forEach((ip, hold) -> {
            if (now.isBefore(hold.until())) {
                action.accept(hold.mac(), Ipv4.fromInt(ip));
            }
        });
    }

    /** Lets go of whatever {@code mac} holds (after its lease is durable, or on RELEASE). */
    public void release(MacAddress mac) {
        Integer ip = byMac.remove(mac);
        if (ip != null) {
            byIp.computeIfPresent(ip, (k, hold) -> hold.mac().equals(mac) ? null : hold);
        }
    }

    /** Forgets holds that ran out; returns how many. Called on the reclaim timer. */
    public int purgeExpired() {
        Instant now = clock.instant();
        return purge(hold -> !now.isBefore(hold.until()));
    }

    private int purge(Predicate<Hold> gone) {
        int[] purged = {0};
        byIp.forEach((ip, hold) -> {
            if (gone.test(hold) && byIp.remove(ip, hold)) {
                byMac.remove(hold.mac(), ip);
                purged[0]++;
            }
        });
        return purged[0];
    }

    public int size() {
        return byIp.size();
    }
}
