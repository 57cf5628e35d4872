package lab.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckConfigCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = ApplianceCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void theBundledExampleIsValid() {
        Path example = Path.of("").toAbsolutePath().getParent().resolve("config/examples/appliance.yaml");
        assertThat(run("check-config", example.toString())).isZero();
        assertThat(out.toString()).contains("OK");
    }

    @Test
    void printsEveryProblemWithItsPositionAndFails() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                network:
                  interface: lab0
                  address: 10.20.0.1/16
                  routr: 10.20.0.1
                dhcp:
                  pools: [10.30.1.1-10.30.1.9]
                  lease-time: 1h
                """);

        assertThat(run("check-config", file.toString())).isEqualTo(ApplianceCommand.EXIT_CONFIG);
        assertThat(err.toString())
                .contains("bad.yaml:4:3: network: unknown key \"routr\"")
                .contains("bad.yaml:6:11: dhcp.pools[0]")
                .contains("2 problems");
    }

    @Test
    void helpWorksOnEveryCommand() {
        for (String command : new String[] {"run", "check-config"}) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString()).startsWith("Usage: appliance " + command);
        }
    }

    @Test
    void runWithoutConfigIsAUsageError() {
        assertThat(run("run")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
    }
}
