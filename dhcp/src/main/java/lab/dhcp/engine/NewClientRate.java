package lab.dhcp.engine;

import java.net.Inet4Address;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A token bucket per source of new unknown clients: each relay (by giaddr) and the served interface (requests not
 * relayed) earn {@code perSecond} tokens a second, up to twice that held for a burst, and each new unknown client
 * takes one. Keeping relays apart means a flood behind one relay leaves the others their pace.
 *
 * <p>The table is bounded at {@value #MAX_SOURCES} sources: a client on the lab link can write any giaddr of the
 * served subnet, and a bucket per forged giaddr would both grow without end and lift the limit. Sources beyond the
 * bound share one bucket, so forging giaddrs buys one more bucket, not one each. Thread-safe.
 */
final class NewClientRate {

    static final int MAX_SOURCES = 256;

    private final int perSecond;
    private final double burst;
    private final Clock clock;
    private final Map<Inet4Address, TokenBucket> buckets = new HashMap<>();
    private final TokenBucket overflow;

    /** @param perSecond new unknown clients a second per source; 0 turns the limit off */
    NewClientRate(int perSecond, Clock clock) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("negative rate: " + perSecond);
        }
        this.perSecond = perSecond;
        this.burst = 2.0 * perSecond;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.overflow = new TokenBucket(burst, clock.millis());
    }

    /** Takes a token from {@code source}'s bucket; false when it has none left. */
    synchronized boolean take(Inet4Address source) {
        if (perSecond == 0) {
            return true;
        }
        long now = clock.millis();
        TokenBucket bucket = buckets.get(source);
        if (bucket == null) {
            bucket = buckets.size() < MAX_SOURCES ? new TokenBucket(burst, now) : overflow;
            if (bucket != overflow) {
                buckets.put(source, bucket);
            }
        }
        return bucket.take(now, perSecond, burst);
    }

    int perSecond() {
        return perSecond;
    }

    /** Tokens that refill continuously, by the millisecond, never above the burst. */
    private static final class TokenBucket {
        private double tokens;
        private long refilledMillis;

        TokenBucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledMillis = now;
        }

        boolean take(long now, int perSecond, double burst) {
            // A clock stepped backwards earns nothing rather than a negative amount.
            double earned = Math.max(0, now - refilledMillis) * perSecond / 1000.0;
            tokens = Math.min(burst, tokens + earned);
            refilledMillis = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
