package lab.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The admin CLI commands when no appliance answers (a clear error and a non-zero exit, never a stack trace), and
 * {@code fleet --watch} against a stand-in API whose fleet has ended.
 */
class AdminCommandsTest {

    @TempDir
    Path dir;

    @Test
    void saysTheApplianceIsNotRunning() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path config = configFor(port);
        for (String[] args : new String[][] {{"leases"}, {"vms", "list"}, {"fleet"}, {"fleet", "--watch"},
                {"reload"}}) {
            StringWriter err = new StringWriter();
            CommandLine cli = ApplianceCommand.commandLine().setErr(new PrintWriter(err));
            String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--config", config.toString())).toArray(String[]::new);

            int status = cli.execute(full);

            assertThat(status).as(String.join(" ", args)).isEqualTo(AdminCommandBase.EXIT_ADMIN);
            assertThat(err.toString()).contains("the appliance is not running").doesNotContain("Exception");
        }
    }

    @Test
    void watchEndsOnceEveryVmFinishedOrFailedAndBothViewsShowDiagnoses() throws Exception {
        byte[] fleet = """
                {"total": 2, "phases": {"leased": 0, "finished": 1, "failed": 1}, "profiles": {"waf": {"finished": 1,
                 "failed": 1}}, "vms": [{"mac": "02:00:00:aa:00:01", "phase": "finished"},
                 {"mac": "02:00:00:aa:00:02", "phase": "failed", "diagnosis": {"code": "failed",
                 "text": "the VM declined 192.0.2.12"}}]}
                """.getBytes(StandardCharsets.UTF_8);
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/api/v1/fleet", exchange -> {
            boolean authorized = "Bearer secret".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(authorized ? 200 : 401, authorized ? fleet.length : -1);
            if (authorized) {
                exchange.getResponseBody().write(fleet);
            }
            exchange.close();
        });
        api.start();
        try {
            Path config = configFor(api.getAddress().getPort());
            StringWriter out = new StringWriter();

            int status = ApplianceCommand.commandLine().setOut(new PrintWriter(out))
                    .execute("fleet", "--watch", "--config", config.toString());

            assertThat(status).isZero();
            assertThat(out.toString()).contains("  finished   [" + "#".repeat(20))
                    .contains("    failed: the VM declined 192.0.2.12")
                    .contains("All 2 VMs finished or failed.");

            StringWriter table = new StringWriter();
            assertThat(ApplianceCommand.commandLine().setOut(new PrintWriter(table))
                    .execute("fleet", "--config", config.toString())).isZero();
            assertThat(table.toString()).containsPattern(
                    "02:00:00:aa:00:02 .*failed.*\\R    failed: the VM declined 192\\.0\\.2\\.12\\R");
        } finally {
            api.stop(0);
        }
    }

    private Path configFor(int port) throws Exception {
        Path token = dir.resolve("admin.token");
        Files.writeString(token, "secret\n");
        Path config = dir.resolve("appliance.yaml");
        Files.writeString(config, """
                network: {interface: lab0, address: 192.0.2.1/24}
                dhcp: {pools: [192.0.2.100-192.0.2.199], lease-time: 3600}
                admin: {listen: 127.0.0.1:%d, token-file: %s}
                """.formatted(port, token));
        return config;
    }

    @Test
    void saysWhichTokenFileIsMissing() throws Exception {
        Path config = dir.resolve("appliance.yaml");
        Files.writeString(config, """
                network: {interface: lab0, address: 192.0.2.1/24}
                dhcp: {pools: [192.0.2.100-192.0.2.199], lease-time: 3600}
                admin: {token-file: %s}
                """.formatted(dir.resolve("absent.token")));
        StringWriter err = new StringWriter();

        int status = ApplianceCommand.commandLine().setErr(new PrintWriter(err)).execute("leases", "--config",
                config.toString());

        assertThat(status).isEqualTo(AdminCommandBase.EXIT_ADMIN);
        assertThat(err.toString()).contains("absent.token");
    }
}
