package lab.appliance.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrintableTextTest {

    /** Text and how it is printed; a method source because a CSV source trims control characters at either end. */
    static Stream<Arguments> texts() {
        return Stream.of(
            Arguments.of("waf-edge-1", "waf-edge-1"),
            Arguments.of("modules-final FAIL", "modules-final FAIL"),
            Arguments.of("vm-é-ü-名前 → ok", "vm-é-ü-名前 → ok"),
            Arguments.of("\u001b[2J\u001b[Hall fine", "\\x1b[2J\\x1b[Hall fine"),
            Arguments.of("\u001b]52;c;cm0gLXJmIH4=\u0007", "\\x1b]52;c;cm0gLXJmIH4=\\x07"),
            Arguments.of("one\ntwo\rthree\ttab", "one\\x0atwo\\x0dthree\\x09tab"),
            Arguments.of("\u0000nul del\u007f csi\u009b", "\\x00nul del\\x7f csi\\x9b"),
            Arguments.of("abc\u202efed\u2066x\u2069", "abc\\u202efed\\u2066x\\u2069"),
            Arguments.of("", ""));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void controlAndBidiCharactersArePrintedAsTheirCodes(String text, String shown) {
        assertThat(PrintableText.of(text)).isEqualTo(shown);
    }
}
