package lab.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes durations as the config spells them: {@code 90s}, {@code 30m}, {@code 1h}, {@code 2d}, units
 * combined largest first ({@code 1h30m}, {@code 1d12h}), or a bare whole number of seconds ({@code 3600}).
 *
 * <p>A duration must be greater than zero and at most 4294967294 seconds: DHCP carries times as 32-bit seconds
 * and reserves 0xFFFFFFFF for "infinite" (RFC 2132 §9.2).
 */
public final class DurationSyntax {

    /** The longest duration accepted, in seconds. */
    public static final long MAX_SECONDS = 0xFFFF_FFFEL;

    private static final Pattern UNITS = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final Pattern SECONDS = Pattern.compile("\\d+");
    private static final long[] UNIT_SECONDS = {86_400, 3_600, 60, 1};
    private static final String[] UNIT_NAMES = {"d", "h", "m", "s"};

    private DurationSyntax() {
    }

    /** Parses a duration, whole seconds only. */
    public static Duration parse(String text) throws InvalidValueException {
        long seconds;
        try {
            seconds = SECONDS.matcher(text).matches() ? Long.parseLong(text) : sumOfUnits(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw tooLong(text);
        }
        if (seconds == 0) {
            throw new InvalidValueException(
                    ConfigProblem.quote(text) + " is zero (expected a duration greater than 0)");
        }
        if (seconds > MAX_SECONDS) {
            throw tooLong(text);
        }
        return Duration.ofSeconds(seconds);
    }

    /** Writes a duration the way {@link #parse} reads it, largest units first: 3150 seconds is {@code 52m30s}. */
    public static String format(Duration duration) {
        long left = duration.getSeconds();
        if (left == 0) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < UNIT_SECONDS.length; i++) {
            long count = left / UNIT_SECONDS[i];
            if (count > 0) {
                text.append(count).append(UNIT_NAMES[i]);
                left -= count * UNIT_SECONDS[i];
            }
        }
        return text.toString();
    }

    private static long sumOfUnits(String text) throws InvalidValueException {
        Matcher matcher = UNITS.matcher(text);
        if (text.isEmpty() || !matcher.matches()) {
            throw new InvalidValueException(ConfigProblem.quote(text)
                    + " is not a duration (expected e.g. 90s, 30m, 1h30m, 2d, or whole seconds)");
        }
        long seconds = 0;
        for (int i = 0; i < UNIT_SECONDS.length; i++) {
            String count = matcher.group(i + 1);
            if (count != null) {
                seconds = Math.addExact(seconds, Math.multiplyExact(Long.parseLong(count), UNIT_SECONDS[i]));
            }
        }
        return seconds;
    }

    private static InvalidValueException tooLong(String text) {
        return new InvalidValueException(ConfigProblem.quote(text) + " is too long (expected at most "
                + MAX_SECONDS + "s, about 136 years)");
    }
}
