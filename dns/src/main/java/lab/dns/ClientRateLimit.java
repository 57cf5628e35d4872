package lab.dns;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address for UDP questions: {@code perSecond} refilled each second, up to twice that
 * held for a burst. UDP only: a TCP client proved its address in the handshake and cannot be a spoofed reflector.
 * The table of buckets is bounded; when full it starts again empty, which at worst lets a burst through.
 */
final class ClientRateLimit {

    static final int MAX_CLIENTS = 65_536;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private static final class Bucket {
        private double tokens;
        private long refilled;
        private boolean limiting;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilled = now;
        }
    }

    private final int perSecond;
    private final double burst;
    private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param perSecond questions a second per client; 0 turns the limit off */
    ClientRateLimit(int perSecond) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("negative rate: " + perSecond);
        }
        this.perSecond = perSecond;
        this.burst = 2.0 * perSecond;
    }

    /** What to do with a question. */
    enum Verdict {
        ANSWER,
        /** The first question dropped since the client was last answered: worth one log line. */
        DROP_FIRST,
        DROP
    }

    /** Whether a question from {@code client} at {@code nanoTime} may be answered, taking one token if so. */
    Verdict check(InetAddress client, long nanoTime) {
        if (perSecond == 0) {
            return Verdict.ANSWER;
        }
        if (buckets.size() >= MAX_CLIENTS && !buckets.containsKey(client)) {
            buckets.clear();
        }
        Bucket bucket = buckets.computeIfAbsent(client, key -> new Bucket(burst, nanoTime));
        synchronized (bucket) {
            double earned = (double) (nanoTime - bucket.refilled) * perSecond / NANOS_PER_SECOND;
            bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, earned));
            bucket.refilled = nanoTime;
            if (bucket.tokens < 1) {
                boolean first = !bucket.limiting;
                bucket.limiting = true;
                return first ? Verdict.DROP_FIRST : Verdict.DROP;
            }
            bucket.tokens -= 1;
            bucket.limiting = false;
            return Verdict.ANSWER;
        }
    }
}
