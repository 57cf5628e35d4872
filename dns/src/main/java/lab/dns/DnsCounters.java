package lab.dns;

import java.util.concurrent.atomic.LongAdder;

/** What the DNS server did with the questions it heard, for the metrics page. */
public final class DnsCounters {

    final LongAdder questions = new LongAdder();
    final LongAdder answeredFromZone = new LongAdder();
    final LongAdder nxdomain = new LongAdder();
    final LongAdder forwarded = new LongAdder();
    final LongAdder forwardFailures = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder truncated = new LongAdder();

    /** Every counter but the total, by a label fit for a metric: {@code nxdomain}, {@code rate_limited}, ... */
    public java.util.Map<String, Long> byOutcome() {
        java.util.Map<String, Long> all = new java.util.LinkedHashMap<>();
        all.put("answered_from_zone", answeredFromZone.sum());
        all.put("nxdomain", nxdomain.sum());
        all.put("forwarded", forwarded.sum());
        all.put("forward_failed", forwardFailures.sum());
        all.put("refused", refused.sum());
        all.put("malformed", malformed.sum());
        all.put("rate_limited", rateLimited.sum());
        all.put("truncated", truncated.sum());
        return all;
    }

    public long questions() {
        return questions.sum();
    }

    public long answeredFromZone() {
        return answeredFromZone.sum();
    }

    public long nxdomain() {
        return nxdomain.sum();
    }

    public long forwarded() {
        return forwarded.sum();
    }

    public long forwardFailures() {
        return forwardFailures.sum();
    }

    public long refused() {
        return refused.sum();
    }

    public long malformed() {
        return malformed.sum();
    }

    public long rateLimited() {
        return rateLimited.sum();
    }

    public long truncated() {
        return truncated.sum();
    }
}
