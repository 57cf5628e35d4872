package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import lab.config.ConfigLoader;
import lab.config.ConfigProblem;
import lab.config.model.ApplianceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state-directory check on the loopback interface, which every host has with 127.0.0.1/8. */
class HostChecksTest {

    private static final String CONFIG = """
            network:
              interface: lo
              address: 127.0.0.1/8
            dhcp:
              pools: [127.0.1.1-127.0.1.9]
              lease-time: 1h
            state-dir: /tmp/unused
            """;

    @TempDir
    Path dir;

    @Test
    void aStateDirectoryTheChecksCreateIsTheOwnersOnly() throws Exception {
        Path stateDir = dir.resolve("var").resolve("appliance");
        ApplianceConfig config = new ConfigLoader().load("t.yaml", CONFIG).withStateDir(stateDir);

        assertThat(new HostChecks(config, (key, message) -> new ConfigProblem("t.yaml", 1, 1, key, message)).run())
            .isEmpty();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir.getParent())))
            .isEqualTo("rwx------");
        try (var left = Files.list(stateDir)) {
            assertThat(left).as("the write probe is gone").isEmpty();
        }
    }
}
