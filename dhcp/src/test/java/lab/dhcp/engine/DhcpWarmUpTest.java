package lab.dhcp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import lab.dhcp.alloc.AddressPool;
import org.junit.jupiter.api.Test;

/** The warm-up completes real DORAs on its own throw-away state, reusing clients so a small pool never runs dry. */
class DhcpWarmUpTest {

    private static final DhcpSettings SETTINGS = EngineFixture.settings();

    @Test
    void completesTheAskedExchangesOnASmallPool() throws Exception {
        DhcpWarmUp.Result result = new DhcpWarmUp(SETTINGS, List.of(EngineFixture.POOL)).run(300, Duration.ofMinutes(1));

        // 300 asked, done in batches of 64 clients: a batch is never cut short.
        assertThat(result.exchanges()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void doesNothingWhenAskedForNoneOrThePoolIsTooSmall() throws Exception {
        AddressPool single = new AddressPool(EngineFixture.ip("192.0.2.100"), EngineFixture.ip("192.0.2.100"));

        assertThat(new DhcpWarmUp(SETTINGS, List.of(EngineFixture.POOL)).run(0, Duration.ofMinutes(1)).exchanges()).isZero();
        assertThat(new DhcpWarmUp(SETTINGS, List.of(single)).run(100, Duration.ofMinutes(1)).exchanges()).isZero();
    }
}
