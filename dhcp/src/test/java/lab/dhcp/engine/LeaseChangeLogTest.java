package lab.dhcp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import lab.dhcp.MacAddress;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseState;
import org.junit.jupiter.api.Test;

/** Lease lines are written up to a budget per second; the rest are counted, and the count starts afresh. */
class LeaseChangeLogTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final LeaseChangeLog log = new LeaseChangeLog(clock);

    @Test
    void linesBeyondTheBudgetOfASecondAreCountedNotWritten() {
        for (int i = 0; i < LeaseChangeLog.LINES_PER_SECOND + 50; i++) {
            log.leaseChanged(Optional.empty(), lease(i));
        }
        assertThat(log.suppressedThisSecond()).isEqualTo(50);

        clock.advance(Duration.ofSeconds(1));
        log.leaseChanged(Optional.empty(), lease(1));

        assertThat(log.suppressedThisSecond()).isZero();
    }

    private static Lease lease(int n) {
        Instant start = Instant.parse("2026-11-25T12:00:00Z");
        return new Lease(EngineFixture.ip("192.0.2." + (n % 250 + 1)), MacAddress.parse(String.format("02:00:00:00:%02x:%02x", n / 256, n % 256)),
                "", "", "", start, start.plus(Duration.ofHours(1)), LeaseState.ACTIVE);
    }
}
