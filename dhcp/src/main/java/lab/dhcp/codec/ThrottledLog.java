package lab.dhcp.codec;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes at most one message per interval to a logger and counts the rest, so a flood of bad packets cannot
 * flood the log. The next message written carries {@code suppressed=N}, the number skipped since the last one.
 * Safe to use from any thread.
 */
public final class ThrottledLog {

    private final Logger logger;
    private final Level level;
    private final Clock clock;
    private final long intervalMillis;
    private final AtomicLong nextAllowedMillis = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public ThrottledLog(Logger logger, Level level, Clock clock, Duration interval) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.level = Objects.requireNonNull(level, "level");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("negative interval: " + interval);
        }
        this.intervalMillis = interval.toMillis();
    }

    /**
     * Logs a parameterized message unless one was logged less than an interval ago. A {@link Throwable} as the
     * last argument is logged as the cause, as SLF4J does.
     */
    public void log(String format, Object... arguments) {
        if (!logger.isEnabledForLevel(level)) {
            return;
        }
        long now = clock.millis();
        long next = nextAllowedMillis.get();
        if (now < next || !nextAllowedMillis.compareAndSet(next, now + intervalMillis)) {
            suppressed.incrementAndGet();
            return;
        }
        LoggingEventBuilder event = logger.atLevel(level).setMessage(format + " suppressed={}");
        int count = arguments.length;
        if (count > 0 && arguments[count - 1] instanceof Throwable cause) {
            event = event.setCause(cause);
            count--;
        }
        for (int i = 0; i < count; i++) {
            event = event.addArgument(arguments[i]);
        }
        event.addArgument(suppressed.getAndSet(0)).log();
    }
}
