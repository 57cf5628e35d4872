package lab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MacSyntaxTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"02:00:00:00:01:01,02:00:00:00:01:01", "02-00-00-00-01-01,02:00:00:00:01:01",
            "02:AB:cd:EF:0a:9F,02:ab:cd:ef:0a:9f", "FF-FF-FF-FF-FF-FF,ff:ff:ff:ff:ff:ff"})
    void normalisesToLowercaseColons(String text, String normal) throws InvalidValueException {
        assertThat(MacSyntax.parse(text)).isEqualTo(normal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "02:00:00:00:01", "02:00:00:00:01:01:01", "02:00-00:00:01:01", "2:00:00:00:01:01",
            "02:00:00:00:01:0g", "0200.0000.0101", "020000000101", "02:00:00:00:01:01 ", "02::00:00:00:01:01"})
    void rejectsAnythingElse(String text) {
        assertThatThrownBy(() -> MacSyntax.parse(text))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("\"" + text + "\" is not a MAC address");
    }
}
