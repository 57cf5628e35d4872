package lab.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import lab.config.model.ApplianceConfig;
import org.junit.jupiter.api.Test;

class StateDirOverrideTest {

    private static final String BASE = """
            network:
              interface: lab0
              address: 192.0.2.1/24
            dhcp:
              pools: [192.0.2.100-192.0.2.199]
              lease-time: 1h
            """;

    @Test
    void theDefaultAdminTokenMovesWithTheStateDir() throws Exception {
        ApplianceConfig config = new ConfigLoader().load("a.yaml", BASE).withStateDir(Path.of("/tmp/lab-state"));

        assertThat(config.stateDir()).isEqualTo(Path.of("/tmp/lab-state"));
        assertThat(config.admin().tokenFile()).isEqualTo(Path.of("/tmp/lab-state/admin.token"));
    }

    @Test
    void aTokenFileTheConfigNamesStaysWhereItIs() throws Exception {
        ApplianceConfig config = new ConfigLoader().load("a.yaml", BASE + "admin:\n  token-file: /srv/lab/token\n")
                .withStateDir(Path.of("/tmp/lab-state"));

        assertThat(config.admin().tokenFile()).isEqualTo(Path.of("/srv/lab/token"));
    }
}
