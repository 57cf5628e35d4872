package lab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import lab.config.model.ApplianceConfig;
import lab.config.model.PoolConfig;
import lab.config.model.Reservation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String MINIMAL = """
            network:
              interface: lab0
              address: 192.0.2.1/24
            dhcp:
              pools: [192.0.2.100-192.0.2.199]
              lease-time: 1h
            """;

    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void bundledExampleLoads() throws Exception {
        // Surefire runs with the module directory as working directory; basedir says so explicitly when set.
        Path example = Path.of(System.getProperty("basedir", "."), "examples", "appliance.yaml");

        ApplianceConfig config = loader.load(example);

        assertThat(config.network().interfaceName()).isEqualTo("lab0");
        assertThat(config.network().subnet()).isEqualTo("10.20.0.0/16");
        assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/appliance"));
    }

    @Test
    void bindsEveryValueOfTheReferenceConfig() throws Exception {
        ApplianceConfig config = loader.load("appliance.yaml", """
                network:
                  interface: eth1
                  address: 10.20.0.1/16
                  router: 10.20.0.1
                  dns: [10.20.0.1]
                  domain: lab.internal
                  ntp: [10.20.0.1]
                  mtu: 1500
                dhcp:
                  pools:
                    - 10.20.1.1-10.20.3.254
                  lease-time: 1h
                  reservations:
                    - mac: 02:00:00:00:01:01
                      ip: 10.20.0.11
                      hostname: waf-edge-1
                state-dir: /var/lib/appliance
                """);

        var network = config.network();
        assertThat(config.source()).isEqualTo(Path.of("appliance.yaml"));
        assertThat(network.interfaceName()).isEqualTo("eth1");
        assertThat(network.address()).isEqualTo(ip("10.20.0.1"));
        assertThat(network.prefixLength()).isEqualTo(16);
        assertThat(network.router()).contains(ip("10.20.0.1"));
        assertThat(network.dns()).containsExactly(ip("10.20.0.1"));
        assertThat(network.domain()).contains("lab.internal");
        assertThat(network.ntp()).containsExactly(ip("10.20.0.1"));
        assertThat(network.mtu()).isEqualTo(OptionalInt.of(1500));
        var dhcp = config.dhcp();
        assertThat(dhcp.pools()).containsExactly(new PoolConfig(ip("10.20.1.1"), ip("10.20.3.254")));
        assertThat(dhcp.leaseTime()).isEqualTo(Duration.ofHours(1));
        assertThat(dhcp.reservations()).containsExactly(
                new Reservation("02:00:00:00:01:01", ip("10.20.0.11"), Optional.of("waf-edge-1")));
        assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/appliance"));
    }

    @Test
    void fillsDefaultsForOptionalKeys() throws Exception {
        ApplianceConfig config = loader.load("minimal.yaml", MINIMAL);

        assertThat(config.network().router()).isEmpty();
        assertThat(config.network().dns()).isEmpty();
        assertThat(config.network().mtu()).isEmpty();
        assertThat(config.dhcp().renewTime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.dhcp().rebindTime()).isEqualTo(Duration.ofSeconds(3150));
        assertThat(config.dhcp().offerHold()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.dhcp().declineHold()).isEqualTo(Duration.ofHours(1));
        assertThat(config.dhcp().compactEvery()).isEqualTo(Duration.ofHours(1));
        assertThat(config.dhcp().reservations()).isEmpty();
        assertThat(config.stateDir()).isEqualTo(ApplianceConfig.DEFAULT_STATE_DIR);
    }

    @Test
    void bindsOptionalDhcpKeysAndNormalisesMacs() throws Exception {
        ApplianceConfig config = loader.load("all.yaml", MINIMAL.replace("lease-time: 1h", """
                lease-time: 2d
                  renew-time: 1d
                  rebind-time: 1d12h
                  offer-hold: 90s
                  decline-hold: 1h30m
                  journal: {compact-every: 10m}
                  reservations: [{mac: 02-00-00-AB-cd-EF, ip: 192.0.2.150}]"""));

        var dhcp = config.dhcp();
        assertThat(dhcp.renewTime()).isEqualTo(Duration.ofDays(1));
        assertThat(dhcp.rebindTime()).isEqualTo(Duration.ofHours(36));
        assertThat(dhcp.offerHold()).isEqualTo(Duration.ofSeconds(90));
        assertThat(dhcp.declineHold()).isEqualTo(Duration.ofMinutes(90));
        assertThat(dhcp.compactEvery()).isEqualTo(Duration.ofMinutes(10));
        assertThat(dhcp.reservations()).extracting(Reservation::mac).containsExactly("02:00:00:ab:cd:ef");
    }

    @Test
    void resolvesARelativeStateDirAgainstTheConfigFilesDirectory(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("appliance.yaml");
        Files.writeString(file, MINIMAL + "state-dir: state/../leases\n");

        ApplianceConfig config = loader.load(file);

        assertThat(config.stateDir()).isEqualTo(directory.toAbsolutePath().resolve("leases"));
        assertThat(config.source()).isEqualTo(file);
    }

    @Test
    void namesTheFileAsGivenInEveryProblem(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("broken.yaml");
        Files.writeString(file, "network: []\n");

        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> loader.load(file));

        assertThat(failure.problems()).extracting(ConfigProblem::toString).containsExactly(
                file + ":1:1: (root): missing required key \"dhcp\"",
                file + ":1:10: network: expected a mapping, found a list");
    }

    @Test
    void exceptionMessageListsAllProblemsOnePerLine() {
        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> loader.load("two.yaml", "network: {interface: lab0}\ndhcp: {pools: [], lease-time: 1h}\n"));

        assertThat(failure).hasMessage(String.join("\n",
                "two.yaml:1:10: network: missing required key \"address\"",
                "two.yaml:2:15: dhcp.pools: expected at least one pool"));
    }

    @Test
    void reportsAMissingFileWithoutAPosition(@TempDir Path directory) {
        Path missing = directory.resolve("absent.yaml");

        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> loader.load(missing));

        assertThat(failure.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isZero();
            assertThat(problem.toString()).startsWith(missing + ": (file): cannot be read: ")
                    .contains("NoSuchFileException");
        });
        assertThat(failure).hasCauseInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void reportsAFileThatIsNotUtf8(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("latin1.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});

        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> loader.load(file));

        assertThat(failure.problems()).extracting(ConfigProblem::toString)
                .containsExactly(file + ": (file): is not UTF-8 text");
    }

    @Test
    void refusesABillionLaughsAliasBomb() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            yaml.append(String.join(", ", List.of("*a" + (i - 1), "*a" + (i - 1), "*a" + (i - 1), "*a" + (i - 1),
                    "*a" + (i - 1), "*a" + (i - 1), "*a" + (i - 1), "*a" + (i - 1), "*a" + (i - 1))));
            yaml.append("]\n");
        }

        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> loader.load("bomb.yaml", yaml.toString()));

        assertThat(failure.problems()).singleElement()
                .satisfies(problem -> assertThat(problem.path()).isEqualTo("(syntax)"));
    }

    private static Inet4Address ip(String text) throws InvalidValueException {
        return Ipv4Syntax.parseAddress(text);
    }
}
