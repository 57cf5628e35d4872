package lab.dhcp.engine;

import static lab.dhcp.engine.EngineFixture.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import lab.dhcp.Ipv4;
import org.junit.jupiter.api.Test;

class NewClientRateTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));

    private static int taken(NewClientRate rate, Inet4Address source, int tries) {
        int taken = 0;
        for (int i = 0; i < tries; i++) {
            if (rate.take(source)) {
                taken++;
            }
        }
        return taken;
    }

    @Test
    void aSourceHasABurstOfTwiceItsRateThenEarnsItsRate() {
        NewClientRate rate = new NewClientRate(10, clock);
        Inet4Address relay = ip("198.51.100.1");

        assertThat(taken(rate, relay, 100)).isEqualTo(20);
        clock.advance(Duration.ofMillis(300));
        assertThat(taken(rate, relay, 100)).isEqualTo(3);
        clock.advance(Duration.ofHours(1));
        assertThat(taken(rate, relay, 100)).as("never more than the burst").isEqualTo(20);
    }

    @Test
    void zeroMeansNoLimit() {
        assertThat(taken(new NewClientRate(0, clock), ip("198.51.100.1"), 10_000)).isEqualTo(10_000);
    }

    @Test
    void aClockSteppedBackEarnsNothingAndThenResumes() {
        NewClientRate rate = new NewClientRate(10, clock);
        Inet4Address source = Ipv4.fromInt(0);
        taken(rate, source, 20);

        clock.advance(Duration.ofHours(-1));
        assertThat(taken(rate, source, 5)).isZero();
        clock.advance(Duration.ofMillis(100));
        assertThat(taken(rate, source, 5)).isEqualTo(1);
    }

    @Test
    void sourcesPastTheBoundShareOneBucketSoForgedRelaysBuyOneBurst() {
        NewClientRate rate = new NewClientRate(1, clock);
        for (int n = 0; n < NewClientRate.MAX_SOURCES; n++) {
            assertThat(taken(rate, Ipv4.fromInt(0xC6336400 + n), 5)).isEqualTo(2);
        }

        int forged = 0;
        for (int n = 0; n < 1000; n++) {
            forged += taken(rate, Ipv4.fromInt(0xCB007100 + n), 5);
        }

        assertThat(forged).isEqualTo(2);
        assertThat(taken(rate, Ipv4.fromInt(0xC6336400), 5)).as("a known source keeps its own bucket").isZero();
    }
}
