package lab.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import lab.dhcp.engine.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class ThrottledLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("lab.dhcp.codec.ThrottledLogTest.sink");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ThrottledLog log = new ThrottledLog(logger, Level.WARN, clock, Duration.ofSeconds(1));

    ThrottledLogTest() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    @Test
    void writesOneMessagePerIntervalAndCountsTheRest() {
        log.log("dropped reason={}", "truncated");
        log.log("dropped reason={}", "malformed");
        log.log("dropped reason={}", "malformed");
        clock.advance(Duration.ofMillis(999));
        log.log("dropped reason={}", "malformed");
        clock.advance(Duration.ofMillis(1));
        log.log("dropped reason={}", "oversized-request", new IllegalStateException("boom"));

        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "dropped reason=truncated suppressed=0",
                "dropped reason=oversized-request suppressed=3");
        assertThat(appender.list.get(1).getThrowableProxy().getMessage()).isEqualTo("boom");
    }

}
