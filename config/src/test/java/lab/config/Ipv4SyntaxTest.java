package lab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4SyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.0.2.1", "255.255.255.255", "10.20.0.1"})
    void parsesDottedDecimal(String text) throws InvalidValueException {
        assertThat(Ipv4Syntax.parseAddress(text).getHostAddress()).isEqualTo(text);
    }

    // The JDK's InetAddress would take several of these (10.1, 0x0a.0.0.1, host names) and some would resolve.
    @ParameterizedTest
    @ValueSource(strings = {"", "10.20.300.1", "10.1", "10.20.0.1.5", "010.20.0.1", "0x0a.0.0.1", "localhost",
            "10.20.0.-1", "10.20.0.1 ", "10..0.1", "::1", "1e1.0.0.1"})
    void rejectsAnythingButStrictDottedDecimal(String text) {
        assertThatThrownBy(() -> Ipv4Syntax.parseAddress(text))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("\"" + text + "\" is not an IPv4 address (expected dotted decimal like 192.0.2.1)");
    }

    @Test
    void parsesAddressWithPrefix() throws InvalidValueException {
        AddressWithPrefix parsed = Ipv4Syntax.parseAddressWithPrefix("10.20.0.1/16");

        assertThat(parsed.address().getHostAddress()).isEqualTo("10.20.0.1");
        assertThat(parsed.prefixLength()).isEqualTo(16);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.20.0.1|has no prefix length",
        "10.20.0.1/|has a bad prefix length",
        "10.20.0.1/33|has a bad prefix length",
        "10.20.0.1/016|has a bad prefix length",
        "10.20.0.1/0|leaves no room for clients",
        "10.20.0.1/31|leaves no room for clients",
        "10.20.0.0/16|is the network address of 10.20.0.0/16",
        "10.20.255.255/16|is the broadcast address of 10.20.0.0/16"})
    void rejectsUnusableInterfaceAddresses(String text, String reason) {
        assertThatThrownBy(() -> Ipv4Syntax.parseAddressWithPrefix(text)).hasMessageContaining(reason);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "10.20.1.1-10.20.3.254|10.20.1.1-10.20.3.254|766",
        "10.20.1.1 - 10.20.1.1|10.20.1.1-10.20.1.1|1",
        "10.20.4.0/24|10.20.4.1-10.20.4.254|254",
        "10.20.0.0/16|10.20.0.1-10.20.255.254|65534",
        "192.0.2.0/30|192.0.2.1-192.0.2.2|2"})
    void parsesRangesAndCidrBlocks(String text, String range, long size) throws InvalidValueException {
        var pool = Ipv4Syntax.parsePool(text);

        assertThat(pool).hasToString(range);
        assertThat(pool.size()).isEqualTo(size);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.20.3.254-10.20.1.1|runs backwards",
        "10.20.4.5/24|has host bits set (expected the block's first address, 10.20.4.0/24)",
        "10.20.4.0/31|has no addresses",
        "10.20.4.0/32|has no addresses",
        "10.20.1.1|is not a pool",
        "10.20.1.1-10.20.1.5-10.20.1.9|is not a pool",
        "10.20.1.1-|is not an IPv4 address",
        "10.20.300.1-10.20.3.254|\"10.20.300.1\" is not an IPv4 address"})
    void rejectsBadPools(String text, String reason) {
        assertThatThrownBy(() -> Ipv4Syntax.parsePool(text)).hasMessageContaining(reason);
    }
}
