package lab.appliance.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Lease time: the system clock read once at start, then moved on by the monotonic clock only. Every lease expiry,
 * offer hold, token TTL and timeline stamp is a point in this time, so a step of the system clock (NTP correcting a
 * lab VM's wrong RTC by hours, an operator's {@code date -s}) neither expires every lease at once nor keeps them
 * for hours more: a lease lasts exactly its lease time of real elapsed time. The price is that, after a step, the
 * times shown and written are offset from the system clock by the step until the next start; {@link ClockStepWatch}
 * says so.
 */
public final class ElapsedClock extends Clock {

    private final Instant anchor;
    private final long anchorNanos;
    private final LongSupplier nanoTime;

    /** Anchored now at the system clock. */
    public ElapsedClock() {
        this(Clock.systemUTC().instant(), System::nanoTime);
    }

    ElapsedClock(Instant anchor, LongSupplier nanoTime) {
        this.anchor = Objects.requireNonNull(anchor, "anchor");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.anchorNanos = nanoTime.getAsLong();
    }

    @Override
    public Instant instant() {
        return anchor.plusNanos(nanoTime.getAsLong() - anchorNanos);
    }

    @Override
    public long millis() {
        return anchor.toEpochMilli() + (nanoTime.getAsLong() - anchorNanos) / 1_000_000L;
    }

    /** How far {@code wall} (the system clock's reading now) is ahead of lease time; negative when behind. */
    public Duration offsetOf(Instant wall) {
        return Duration.between(instant(), wall);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(ZoneOffset.UTC)) {
            return this;
        }
        throw new UnsupportedOperationException("lease time is UTC");
    }
}
