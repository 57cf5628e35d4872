package lab.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Test;

class DhcpOptionsTest {

    private final DHCPPacket packet = new DHCPPacket();

    @Test
    void mapsUnsignedCodesToDhcp4javasSignedBytes() {
        assertThat(DhcpOptions.code(150)).isEqualTo((byte) -106);
        assertThat(DhcpOptions.unsigned((byte) -106)).isEqualTo(150);
        assertThatThrownBy(() -> DhcpOptions.code(255)).hasMessageContaining("1..254");
        assertThatThrownBy(() -> DhcpOptions.code(0)).hasMessageContaining("1..254");
    }

    @Test
    void encodesNonAsciiHostNamesAsPunycode() {
        DhcpOptions.setName(packet, 12, "bücher");

        assertThat(new String(packet.getOptionRaw((byte) 12), StandardCharsets.US_ASCII)).isEqualTo("xn--bcher-kva");
    }

    @Test
    void writesTextAsUtf8AndReadsItBackWithoutTrailingNuls() {
        DhcpOptions.setText(packet, 56, "adresse réservée");
        assertThat(DhcpOptions.text(packet, 56)).contains("adresse réservée");

        packet.setOptionRaw((byte) 12, "vm-one\0".getBytes(StandardCharsets.US_ASCII));
        assertThat(DhcpOptions.text(packet, 12)).contains("vm-one");
        assertThat(DhcpOptions.text(packet, 15)).isEmpty();
    }

    @Test
    void rejectsValuesLongerThanOneOptionWhenSetNotWhenSent() {
        assertThatThrownBy(() -> DhcpOptions.setText(packet, 56, "x".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("option 56 value is 256 bytes");
        assertThatThrownBy(() -> DhcpOptions.setName(packet, 12, ""))
                .hasMessageContaining("empty name");
    }

    @Test
    void escapesControlCharactersForLogs() {
        assertThat(DhcpOptions.printable("vm\n\"one\"")).isEqualTo("vm\\x0a\\x22one\\x22");
    }
}
