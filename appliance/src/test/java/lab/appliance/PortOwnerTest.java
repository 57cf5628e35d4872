package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PortOwnerTest {

    @Test
    void namesTheProcessHoldingAUdpPort() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            String owner = new PortOwner(Path.of("/proc")).ofUdpPort(socket.getLocalPort()).orElseThrow();
            assertThat(owner).contains("pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void saysNothingForAFreePort() throws Exception {
        int port;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = socket.getLocalPort();
        }
        assertThat(new PortOwner(Path.of("/proc")).ofUdpPort(port)).isEmpty();
    }
}
