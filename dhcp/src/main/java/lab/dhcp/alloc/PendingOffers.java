package lab.dhcp.alloc;

import java.net.Inet4Address;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import lab.dhcp.Ipv4;
import lab.dhcp.MacAddress;

/**
 * Addresses offered (or being committed) but not yet leased, held for their client for a short time so that a burst
 * of parallel DISCOVERs never gets the same address twice. A MAC holds at most one address.
 *
 * <p>Thread-safe: the event loop holds and looks up; the journal thread lets go once a lease is durable.
 */
public final class PendingOffers {

    private record Hold(MacAddress mac, Instant until) {
    }

    private final Clock clock;
    private final Duration holdTime;
    private final ConcurrentHashMap<Integer, Hold> byIp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<MacAddress, Integer> byMac = new ConcurrentHashMap<>();

    public PendingOffers(Clock clock, Duration holdTime) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.holdTime = Objects.requireNonNull(holdTime, "holdTime");
    }

    /** Holds {@code ip} for {@code mac} from now for the hold time, replacing what the MAC held before. */
    public void hold(MacAddress mac, Inet4Address ip) {
        int key = Ipv4.toInt(ip);
        Integer previous = byMac.put(mac, key);
        if (previous != null && previous != key) {
            byIp.remove(previous, byIp.get(previous));
        }
        byIp.put(key, new Hold(mac, clock.instant().plus(holdTime)));
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
        int[] purged = {0};
        byIp.forEach((ip, hold) -> {
            if (!now.isBefore(hold.until()) && byIp.remove(ip, hold)) {
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
