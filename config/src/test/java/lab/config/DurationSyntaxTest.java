package lab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationSyntaxTest {

    @ParameterizedTest(name = "{0} is {1}s")
    @CsvSource({"90s,90", "30m,1800", "1h,3600", "2d,172800", "1h30m,5400", "1d12h,129600", "1d1h1m1s,90061",
            "3600,3600", "1,1", "4294967294,4294967294", "0h5m,300"})
    void parsesUnitsAndBareSeconds(String text, long seconds) throws InvalidValueException {
        assertThat(DurationSyntax.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1x", "h", "1H", "30m1h", "1h 30m", " 1h", "-5", "+5", "1.5h", "1hh", "1h1h", "5ms"})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> DurationSyntax.parse(text))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("\"" + text + "\" is not a duration (expected e.g. 90s, 30m, 1h30m, 2d, or whole seconds)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "0h0m"})
    void rejectsZero(String text) {
        assertThatThrownBy(() -> DurationSyntax.parse(text)).hasMessageContaining("is zero");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4294967295", "99999999999999999999", "50000d", "9999999999999999d"})
    void rejectsDurationsPastDhcpRange(String text) {
        assertThatThrownBy(() -> DurationSyntax.parse(text)).hasMessageContaining("is too long");
    }

    @ParameterizedTest(name = "{0}s is {1}")
    @CsvSource({"0,0s", "59,59s", "60,1m", "3150,52m30s", "3600,1h", "90061,1d1h1m1s", "172800,2d"})
    void formatsLargestUnitsFirst(long seconds, String text) throws InvalidValueException {
        assertThat(DurationSyntax.format(Duration.ofSeconds(seconds))).isEqualTo(text);
        if (seconds > 0) {
            assertThat(DurationSyntax.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
        }
    }
}
