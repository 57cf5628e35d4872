package lab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostnameSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"waf-edge-1", "lab.internal", "Web-01.Example.org", "1db", "a"})
    void acceptsRfc1123NamesAsWritten(String text) throws InvalidValueException {
        assertThat(HostnameSyntax.parse(text)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|empty label",
        "lab.|empty label",
        "-web|starts or ends with a hyphen",
        "web-|starts or ends with a hyphen",
        "web_1|contains \"_\"",
        "wéb|contains \"é\"",
        "web 1|contains \" \""})
    void rejectsInvalidNames(String text, String reason) {
        assertThatThrownBy(() -> HostnameSyntax.parse(text)).hasMessageContaining(reason);
    }

    @Test
    void acceptsTheLongestLabelAndName() throws InvalidValueException {
        assertThat(HostnameSyntax.parse("a".repeat(63))).hasSize(63);
        assertThat(HostnameSyntax.parse(nameOfLength(253))).hasSize(253);
    }

    @Test
    void rejectsALongerLabelOrName() {
        assertThatThrownBy(() -> HostnameSyntax.parse("a".repeat(64))).hasMessageContaining("longer than 63");
        assertThatThrownBy(() -> HostnameSyntax.parse(nameOfLength(254))).hasMessageContaining("longer than 253");
    }

    // Labels of 49 letters joined by dots, cut to length; the cut never leaves an empty last label.
    private static String nameOfLength(int length) {
        return ("a".repeat(49) + ".").repeat(6).substring(0, length - 1) + "b";
    }
}
