package lab.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import lab.dhcp.MacAddress;
import lab.dhcp.lease.JournalTimings;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseJournal;
import lab.dhcp.lease.LeaseState;
import lab.pgstore.LocalPostgres;
import lab.pgstore.LoopbackPostgresExtension;
import lab.pgstore.PgLeaseStore;
import lab.pgstore.PostgresDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code appliance store import}: a lone appliance's journal moved into a real PostgreSQL store. */
class StoreImportCommandTest {

    private static final Instant START = Instant.parse("2026-12-06T08:00:00.250Z");
    @RegisterExtension
    static final LoopbackPostgresExtension POSTGRES = new LoopbackPostgresExtension("import");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void importsTheLatestRecordOfEveryAddressOnceAndRefusesToMixTwoAppliances() throws Exception {
        String database = POSTGRES.newDatabaseName();
        Path stateDir = dir.resolve("state");
        try (LeaseJournal journal = new LeaseJournal(stateDir)) {
            journal.load();
            journal.write(lease(1, 1, LeaseState.ACTIVE, 3600), () -> { }).get(10, TimeUnit.SECONDS);
            journal.write(lease(2, 2, LeaseState.ACTIVE, 3600), () -> { }).get(10, TimeUnit.SECONDS);
            journal.write(lease(1, 1, LeaseState.RELEASED, 0), () -> { }).get(10, TimeUnit.SECONDS);
        }
        Path config = config(database, stateDir);

        assertThat(run("store", "import", "-c", config.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("imported 2 lease records");
        List<Lease> stored = stored(database);
        assertThat(stored).containsExactlyInAnyOrder(lease(1, 1, LeaseState.RELEASED, 0),
                lease(2, 2, LeaseState.ACTIVE, 3600));

        assertThat(run("store", "import", "-c", config.toString())).isEqualTo(ApplianceCommand.EXIT_HOST);
        assertThat(err.toString()).contains("already holds 2 lease records").contains("--force");
        assertThat(run("store", "import", "-c", config.toString(), "--force")).isZero();
        assertThat(stored(database)).hasSize(2);
    }

    @Test
    void aMissingJournalIsNamed() throws Exception {
        Path config = config(POSTGRES.newDatabaseName(), dir.resolve("nowhere"));

        assertThat(run("store", "import", "-c", config.toString())).isEqualTo(ApplianceCommand.EXIT_HOST);
        assertThat(err.toString()).contains("no lease journal at " + dir.resolve("nowhere").resolve("leases.journal"));
    }

    @Test
    void aJournalConfigIsToldWhatToSet() throws Exception {
        Path config = dir.resolve("journal.yaml");
        Files.writeString(config, """
                network: {interface: lab0, address: 10.20.0.1/16}
                dhcp: {pools: [10.20.1.1-10.20.1.9], lease-time: 1h}
                """);

        assertThat(run("store", "import", "-c", config.toString())).isEqualTo(ApplianceCommand.EXIT_CONFIG);
        assertThat(err.toString()).contains("kind: postgresql");
    }

    private Path config(String database, Path stateDir) throws IOException {
        Path password = dir.resolve("db.password");
        Files.writeString(password, POSTGRES.server().password() + "\n");
        Path config = dir.resolve(database + ".yaml");
        Files.writeString(config, """
                network: {interface: lab0, address: 10.20.0.1/16}
                dhcp: {pools: [10.20.1.1-10.20.1.9], lease-time: 1h}
                state-dir: %s
                store:
                  kind: postgresql
                  url: %s
                  user: %s
                  password-file: %s
                """.formatted(stateDir, POSTGRES.server().jdbcUrl(database), LocalPostgres.USER, password));
        return config;
    }

    private static List<Lease> stored(String database) throws IOException {
        try (PostgresDatabase db = PostgresDatabase.open(POSTGRES.server().settings(database));
             PgLeaseStore store = new PgLeaseStore(db.dataSource(), "test", Optional.empty(), "test",
                     JournalTimings.NONE)) {
            return store.load();
        }
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cli = ApplianceCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static Lease lease(int host, int mac, LeaseState state, int seconds) throws IOException {
        return new Lease((Inet4Address) InetAddress.getByName("10.20.1." + host),
                MacAddress.parse(String.format("02:00:00:00:00:%02x", mac)), "", "vm-" + host, "", START,
                START.plusSeconds(seconds), state);
    }
}
