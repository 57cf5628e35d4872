package lab.dhcp.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads the captured client packets in {@code src/test/resources/packets/}: a {@code #} comment line, then hex.
 * Public for the reliability module's hostile-DHCP sender, which mutates the same captures.
 */
public final class PacketFixtures {

    /** Every capture, as named in {@code packets/README.md}. */
    public static final List<String> CAPTURED = List.of(
            "dhclient-discover.hex", "dhclient-request.hex", "dhclient-request-rebooting.hex", "dhclient-release.hex",
            "udhcpc-discover.hex", "udhcpc-request.hex", "udhcpc-request-renewing.hex", "udhcpc-release.hex",
            "dhcpcd-discover.hex", "dhcpcd-request.hex", "dhcpcd-release.hex", "dhcpcd-inform.hex");

    private PacketFixtures() {
    }

    /** The bytes of capture {@code name} (one of {@link #CAPTURED}). */
    public static byte[] load(String name) {
        try (InputStream in = PacketFixtures.class.getResourceAsStream("/packets/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no packet fixture " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            if (!text.startsWith("#")) {
                throw new IllegalArgumentException(name + ": first line must be a # comment");
            }
            String hex = text.lines().skip(1).map(String::strip).collect(Collectors.joining());
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
