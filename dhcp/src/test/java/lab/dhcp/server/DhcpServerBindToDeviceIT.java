package lab.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Proves SO_BINDTODEVICE: a server namespace with two veth links to two client namespaces; the server bound to
 * link A gives busybox udhcpc on A a lease and never hears udhcpc on B. Namespaces are named {@code dhcpc-…} and
 * removed after the class, even on failure.
 */
@Tag("netns")
class DhcpServerBindToDeviceIT {

    private static final String SERVER_NS = "dhcpc-srv";
    private static final String CLIENT_A_NS = "dhcpc-cla";
    private static final String CLIENT_B_NS = "dhcpc-clb";
    private static final long COMMAND_TIMEOUT_S = 30;

    @BeforeAll
    static void buildNamespaces() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create network namespaces");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "needs iproute2 (ip)");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")) || Files.isExecutable(Path.of("/usr/bin/busybox")),
                "needs busybox for udhcpc");
        removeNamespaces();
        for (String ns : List.of(SERVER_NS, CLIENT_A_NS, CLIENT_B_NS)) {
            run("ip", "netns", "add", ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        link("dhcpc-sa", "dhcpc-ca", CLIENT_A_NS, "192.0.2.1/24");
        link("dhcpc-sb", "dhcpc-cb", CLIENT_B_NS, "198.51.100.1/24");
    }

    @AfterAll
    static void removeNamespaces() throws Exception {
        for (String ns : List.of(SERVER_NS, CLIENT_A_NS, CLIENT_B_NS)) {
            // Deleting a namespace deletes the veth ends inside it, and with them their peers.
            new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start()
                    .waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS);
        }
    }

    @Test
    void serverBoundToOneInterfaceAnswersItAndNeverHearsTheOther() throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", SERVER_NS,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BoundServerProcess.class.getName(), "dhcpc-sa")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            assertThat(lineStartingWith(out, "ready")).isEqualTo("ready");

            int onB = udhcpc(CLIENT_B_NS, "dhcpc-cb");
            int onA = udhcpc(CLIENT_A_NS, "dhcpc-ca");

            Writer in = new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8);
            in.write("stats\n");
            in.flush();
            String received = lineStartingWith(out, "received=");
            assertThat(onA).as("udhcpc exit status on the served link").isZero();
            assertThat(onB).as("udhcpc exit status on the other link").isNotZero();
            // udhcpc on A sent one DISCOVER and one REQUEST; B's DISCOVERs never reached the socket.
            assertThat(received).isEqualTo("received=2");
        } finally {
            server.destroy();
            server.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS);
        }
    }

    /** The child's next line with this prefix; its log lines (Logback's default goes to stdout) are skipped. */
    private static String lineStartingWith(BufferedReader out, String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        return "(server exited)";
    }

    /** Runs udhcpc for one lease attempt: 2 DISCOVERs one second apart, then gives up with a non-zero status. */
    private static int udhcpc(String ns, String device) throws Exception {
        Process client = new ProcessBuilder("ip", "netns", "exec", ns, "busybox", "udhcpc", "-f", "-q", "-n",
                "-t", "2", "-T", "1", "-i", device, "-s", "/bin/true").redirectErrorStream(true).start();
        client.getInputStream().transferTo(OutputStreamDiscard.INSTANCE);
        assertThat(client.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)).as("udhcpc finished").isTrue();
        return client.exitValue();
    }

    private static void link(String serverEnd, String clientEnd, String clientNs, String serverAddress)
            throws Exception {
        run("ip", "link", "add", serverEnd, "type", "veth", "peer", "name", clientEnd);
        run("ip", "link", "set", serverEnd, "netns", SERVER_NS);
        run("ip", "link", "set", clientEnd, "netns", clientNs);
        run("ip", "-n", SERVER_NS, "addr", "add", serverAddress, "dev", serverEnd);
        run("ip", "-n", SERVER_NS, "link", "set", serverEnd, "up");
        run("ip", "-n", clientNs, "link", "set", clientEnd, "up");
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    /** Swallows a child's output so it cannot block on a full pipe. */
    private static final class OutputStreamDiscard extends java.io.OutputStream {
        static final OutputStreamDiscard INSTANCE = new OutputStreamDiscard();

        @Override
        public void write(int b) {
        }
    }
}
