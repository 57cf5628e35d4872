package lab.appliance.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientEnvironmentTest {

    @TempDir
    Path dir;

    @Test
    void decodesRfc3442BytesAsDhclientPassesThem() throws IOException {
        ClientEnvironment env = env("routes=32 169 254 169 254 10 20 0 1 24 192 0 2 10 20 0 2 0 10 20 0 1");

        assertThat(env.routesFromRfc3442Bytes("routes")).containsExactly(
                "169.254.169.254/32 via 10.20.0.1", "192.0.2.0/24 via 10.20.0.2", "0.0.0.0/0 via 10.20.0.1");
    }

    @Test
    void truncatedRfc3442ListIsAnError() throws IOException {
        ClientEnvironment env = env("routes=32 169 254 169 254 10 20");

        assertThatThrownBy(() -> env.routesFromRfc3442Bytes("routes"))
                .hasMessageContaining("routes is a truncated RFC 3442 list");
    }

    @Test
    void pairsBecomeViaRoutes() throws IOException {
        ClientEnvironment env = env("staticroutes=169.254.169.254/32 10.20.0.1 0.0.0.0/0 10.20.0.1");

        assertThat(env.routesFromPairs("staticroutes"))
                .containsExactly("169.254.169.254/32 via 10.20.0.1", "0.0.0.0/0 via 10.20.0.1");
    }

    @Test
    void netmaskBecomesPrefixAndNonContiguousMaskIsAnError() throws IOException {
        ClientEnvironment env = env("good=255.255.0.0\nbad=255.0.255.0");

        assertThat(env.prefixFromMask("good")).isEqualTo(16);
        assertThatThrownBy(() -> env.prefixFromMask("bad")).hasMessageContaining("not a contiguous netmask");
    }

    @Test
    void valueThatIsNotAnAddressIsRejectedNotLookedUp() throws IOException {
        ClientEnvironment env = env("router=example.org");

        assertThatThrownBy(() -> env.addresses("router")).hasMessageContaining("router is not an IPv4 address");
    }

    private ClientEnvironment env(String content) throws IOException {
        Path file = dir.resolve("lease.env");
        Files.writeString(file, content + "\n");
        return ClientEnvironment.read(file);
    }
}
