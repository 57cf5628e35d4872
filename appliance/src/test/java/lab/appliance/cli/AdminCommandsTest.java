package lab.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The admin CLI commands when no appliance answers: a clear error and a non-zero exit, never a stack trace. */
class AdminCommandsTest {

    @TempDir
    Path dir;

    @Test
    void saysTheApplianceIsNotRunning() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path token = dir.resolve("admin.token");
        Files.writeString(token, "secret\n");
        Path config = dir.resolve("appliance.yaml");
        Files.writeString(config, """
                network: {interface: lab0, address: 192.0.2.1/24}
                dhcp: {pools: [192.0.2.100-192.0.2.199], lease-time: 3600}
                admin: {listen: 127.0.0.1:%d, token-file: %s}
                """.formatted(port, token));
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
