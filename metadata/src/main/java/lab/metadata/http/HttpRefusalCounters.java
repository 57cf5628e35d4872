package lab.metadata.http;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How many times one server's {@link HttpGuard} refused, by reason; read by the metrics at scrape time. */
public final class HttpRefusalCounters {

    private final Map<HttpRefusal, LongAdder> counts = new EnumMap<>(HttpRefusal.class);

    public HttpRefusalCounters() {
        for (HttpRefusal reason : HttpRefusal.values()) {
            counts.put(reason, new LongAdder());
        }
    }

    /** One more refusal for {@code reason}. */
    public void count(HttpRefusal reason) {
        counts.get(reason).increment();
    }

    /** The count so far for one reason. */
    public long of(HttpRefusal reason) {
        return counts.get(reason).sum();
    }

    /** Every reason with its count so far, zeros included. */
    public Map<HttpRefusal, Long> snapshot() {
        Map<HttpRefusal, Long> copy = new EnumMap<>(HttpRefusal.class);
        counts.forEach((reason, n) -> copy.put(reason, n.sum()));
        return copy;
    }
}
