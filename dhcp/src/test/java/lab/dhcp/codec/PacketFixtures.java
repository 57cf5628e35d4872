package lab.dhcp.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Collectors;

/** Reads the captured client packets in {@code src/test/resources/packets/}: a {@code #} comment line, then hex. */
final class PacketFixtures {

    private PacketFixtures() {
    }

    static byte[] load(String name) {
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
