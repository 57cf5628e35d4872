package lab.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {

    @ParameterizedTest
    @CsvSource({
        "02:00:00:00:01:01, 02:00:00:00:01:01",
        "02-00-00-AA-0F-FF, 02:00:00:aa:0f:ff",
        "ff:ff:ff:ff:ff:ff, ff:ff:ff:ff:ff:ff",
        "00:00:00:00:00:00, 00:00:00:00:00:00"})
    void parsesAnyCaseAndSeparatorAndPrintsLowercaseColonForm(String text, String printed) {
        MacAddress mac = MacAddress.parse(text);
        assertThat(mac).hasToString(printed);
        assertThat(MacAddress.of(mac.toBytes())).isEqualTo(mac);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "02:00:00:00:01", "02:00:00:00:01:01:01", "02:00:00:00:01:0g", "2:0:0:0:1:1",
        // Found by the journal replay property test: Integer.parseInt took the sign, reading "+2" as 02.
        "+2:00:00:00:01:01", "02:00:00:-1:01:01"})
    void rejectsWhatIsNotSixHexPairs(String text) {
        assertThatThrownBy(() -> MacAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
