package lab.dhcp.engine;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many requests of unknown clients got no answer because of the {@link UnknownClientLimits}, by limit. One
 * instance outlives the engines a reload replaces, so the counts keep rising across reloads. Safe from any thread.
 */
public final class UnknownClientRefusals {

    /** Which limit refused. */
    public enum Reason {
        /** The source (relay or interface) sent more new unknown clients than its rate. */
        RATE_LIMIT,
        /** Unknown clients already hold their share of the subnet's pool addresses. */
        POOL_SHARE;

        private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

        /** Kebab-case, for logs and metric labels: {@code rate-limit}, {@code pool-share}. */
        public String label() {
            return label;
        }
    }

    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

    public UnknownClientRefusals() {
        for (Reason reason : Reason.values()) {
            counts.put(reason, new LongAdder());
        }
    }

    /** Counts one request refused for {@code reason}. */
    public void refused(Reason reason) {
        counts.get(reason).increment();
    }

    /** How many were refused for {@code reason} so far. */
    public long count(Reason reason) {
        return counts.get(reason).sum();
    }

    /** Every reason with its count, zeros included. */
    public Map<Reason, Long> snapshot() {
        Map<Reason, Long> copy = new EnumMap<>(Reason.class);
        counts.forEach((reason, adder) -> copy.put(reason, adder.sum()));
        return Collections.unmodifiableMap(copy);
    }
}
