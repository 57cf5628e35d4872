package lab.appliance.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ElapsedClockTest {

    private static final Instant START = Instant.parse("2026-12-04T12:00:00Z");

    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final ElapsedClock leaseTime = new ElapsedClock(START, nanos::get);

    @Test
    void movesOnlyWithTheMonotonicClock() {
        assertThat(leaseTime.instant()).isEqualTo(START);
        nanos.addAndGet(Duration.ofMinutes(90).toNanos() + 1_500_000);
        assertThat(leaseTime.instant()).isEqualTo(START.plus(Duration.ofMinutes(90)).plusNanos(1_500_000));
        assertThat(leaseTime.millis()).isEqualTo(leaseTime.instant().toEpochMilli());
    }

    @Test
    void theWatchReportsAStepOnceAndItsSizeAndIgnoresDrift() {
        AtomicReference<Instant> wall = new AtomicReference<>(START);
        Clock system = new Clock() {
            @Override
            public Instant instant() {
                return wall.get();
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        ClockStepWatch watch = new ClockStepWatch(leaseTime, system);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        wall.set(START.plusSeconds(10).plusMillis(20));
        watch.check();
        assertThat(watch.offsetSeconds()).as("20 ms is drift").isZero();

        wall.set(START.plusSeconds(10).plus(Duration.ofHours(2)));
        watch.check();
        assertThat(watch.offsetSeconds()).isEqualTo(7200.0);
        assertThat(leaseTime.instant()).as("lease time did not step").isEqualTo(START.plusSeconds(10));

        wall.set(START.plusSeconds(10).minus(Duration.ofHours(1)));
        watch.check();
        assertThat(watch.offsetSeconds()).isEqualTo(-3600.0);
    }
}
