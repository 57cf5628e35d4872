package lab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import lab.config.model.ApplianceConfig;
import lab.config.model.HaConfig;
import lab.config.model.StoreConfig;
import org.junit.jupiter.api.Test;

class StoreSectionTest {

    private static final String BASE = """
            network: {interface: lab0, address: 10.20.0.1/16}
            dhcp: {pools: [10.20.1.1-10.20.3.254], lease-time: 1h}
            """;

    private final ConfigLoader loader = new ConfigLoader();

    private ApplianceConfig load(String rest) throws ConfigException {
        return loader.load("/etc/appliance/appliance.yaml", BASE + rest);
    }

    private ConfigProblem onlyProblem(String rest) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(rest));
        assertThat(e).as("config with %s is refused", rest).isNotNull();
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0);
    }

    @Test
    void withoutTheSectionLeasesStayInTheJournalAndThereIsNoPair() throws ConfigException {
        ApplianceConfig config = load("");

        assertThat(config.store()).isEqualTo(StoreConfig.JOURNAL);
        assertThat(config.ha()).isEmpty();
    }

    @Test
    void postgresqlStoreTakesItsUrlUserPasswordFileBesideTheConfigAndPoolSize() throws ConfigException {
        ApplianceConfig config = load("""
                store:
                  kind: postgresql
                  url: jdbc:postgresql://10.99.0.1:5432/appliance
                  user: lab_dhcp
                  password-file: db.password
                  pool-size: 6
                """);

        StoreConfig.Postgres pg = config.store().postgresql().orElseThrow();
        assertThat(config.store().kind()).isEqualTo(StoreConfig.Kind.POSTGRESQL);
        assertThat(pg.url()).isEqualTo("jdbc:postgresql://10.99.0.1:5432/appliance");
        assertThat(pg.user()).isEqualTo("lab_dhcp");
        assertThat(pg.passwordFile()).contains(Path.of("/etc/appliance/db.password"));
        assertThat(pg.poolSize()).isEqualTo(6);
    }

    @Test
    void postgresqlDefaultsUserAndPoolAndNeedsNoPassword() throws ConfigException {
        StoreConfig.Postgres pg = load("store: {kind: postgresql, url: 'jdbc:postgresql://db:5432/leases'}\n")
                .store().postgresql().orElseThrow();

        assertThat(pg.user()).isEqualTo(StoreConfig.Postgres.DEFAULT_USER);
        assertThat(pg.poolSize()).isEqualTo(StoreConfig.Postgres.DEFAULT_POOL_SIZE);
        assertThat(pg.passwordFile()).isEmpty();
    }

    @Test
    void anUnknownKindIsNamedWithItsPlaceAndTheKindsThereAre() {
        ConfigProblem problem = onlyProblem("store:\n  kind: mysql\n");

        assertThat(problem.line()).isEqualTo(4);
        assertThat(problem.column()).isEqualTo(9);
        assertThat(problem.message()).contains("\"mysql\"").contains("journal or postgresql");
    }

    @Test
    void postgresqlWithoutUrlOrWithABadOneIsRefused() {
        assertThat(onlyProblem("store: {kind: postgresql}\n").message()).contains("url");
        ConfigProblem bad = onlyProblem("store:\n  kind: postgresql\n  url: postgres://db/appliance\n");
        assertThat(bad.line()).isEqualTo(5);
        assertThat(bad.message()).contains("jdbc:postgresql://host:port/database");
    }

    @Test
    void databaseSettingsWithTheJournalAreAMistakeNotIgnored() {
        ConfigProblem problem = onlyProblem("store: {kind: journal, url: 'jdbc:postgresql://db/x'}\n");

        assertThat(problem.message()).contains("\"url\"").contains("kind: postgresql");
    }

    @Test
    void poolSizeOutOfRangeIsRefused() {
        assertThat(onlyProblem("store: {kind: postgresql, url: 'jdbc:postgresql://db/x', pool-size: 1}\n")
                .message()).contains("2 to 64");
    }

    @Test
    void haNodeWithDefaultsTakesOverAfterFiveSecondsBeatingEverySecond() throws ConfigException {
        ApplianceConfig config = load("""
                store: {kind: postgresql, url: 'jdbc:postgresql://10.99.0.1/appliance'}
                ha: {node: appliance-a}
                """);

        assertThat(config.ha()).contains(new HaConfig("appliance-a", HaConfig.DEFAULT_PAIR, Duration.ofSeconds(5),
                Duration.ofSeconds(1)));
    }

    @Test
    void haTimesAreConfigurable() throws ConfigException {
        HaConfig ha = load("""
                store: {kind: postgresql, url: 'jdbc:postgresql://10.99.0.1/appliance'}
                ha: {node: b, pair: lab-1, takeover-after: 10s, heartbeat-every: 2s}
                """).ha().orElseThrow();

        assertThat(ha.pair()).isEqualTo("lab-1");
        assertThat(ha.takeoverAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ha.heartbeatEvery()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void haWithoutThePostgresqlStoreIsRefusedAtTheSection() {
        ConfigProblem problem = onlyProblem("ha:\n  node: a\n");

        assertThat(problem.line()).isEqualTo(4);
        assertThat(problem.message()).contains("kind: postgresql");
    }

    @Test
    void haNeedsANodeNameAndSaneTimes() {
        String store = "store: {kind: postgresql, url: 'jdbc:postgresql://db/x'}\n";
        assertThat(onlyProblem(store + "ha: {pair: lab}\n").message()).contains("node");
        ConfigProblem shortTakeover = onlyProblem(store + "ha:\n  node: a\n  takeover-after: 1s\n");
        assertThat(shortTakeover.line()).isEqualTo(6);
        assertThat(shortTakeover.message()).contains("at least 2s");
        assertThat(onlyProblem(store + "ha: {node: a, takeover-after: 4s, heartbeat-every: 2s}\n").message())
                .contains("a quarter of takeover-after");
        assertThat(onlyProblem(store + "ha: {node: 'a b'}\n").message()).contains("not a node or pair name");
    }

    @Test
    void stateDirOverrideKeepsTheStoreAndPair() throws ConfigException {
        ApplianceConfig config = load("""
                store: {kind: postgresql, url: 'jdbc:postgresql://db/x'}
                ha: {node: a}
                """).withStateDir(Path.of("/tmp/x"));

        assertThat(config.store().kind()).isEqualTo(StoreConfig.Kind.POSTGRESQL);
        assertThat(config.ha()).map(HaConfig::node).isEqualTo(Optional.of("a"));
    }
}
