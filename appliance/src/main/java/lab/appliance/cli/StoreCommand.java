package lab.appliance.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import lab.appliance.ConfigFile;
import lab.appliance.pair.NodeIdentity;
import lab.appliance.store.StoreDatabase;
import lab.config.ConfigException;
import lab.config.LoadedConfig;
import lab.config.model.ApplianceConfig;
import lab.config.model.StoreConfig;
import lab.dhcp.lease.JournalTimings;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseJournal;
import lab.pgstore.PairRegistry;
import lab.pgstore.PgLeaseStore;
import lab.pgstore.PostgresDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code store import}: moves a lone appliance's lease journal into the PostgreSQL store its config now names. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Work on the lease store the config names.",
        subcommands = StoreCommand.Import.class)
public final class StoreCommand {

    /** {@code store import --config FILE [--state-dir DIR] [--force]}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Copy the leases of a lease journal (the state directory's leases.journal) into the"
                    + " PostgreSQL store of the config, the latest record of each address, so a lone appliance can"
                    + " become a pair without losing a lease. Run it with the appliance (and any pair node) stopped.")
    public static final class Import implements java.util.concurrent.Callable<Integer> {

        private static final int CHUNK = 1000;

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
                description = "The YAML configuration with store.kind: postgresql.")
        Path configFile;

        @Option(names = "--state-dir", paramLabel = "DIR",
                description = "Read the journal from here instead of the config's state-dir.")
        Path stateDir;

        @Option(names = "--force", description = "Import even though the database already holds leases (a journal"
                + " record replaces the database's record of the same address).")
        boolean force;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            LoadedConfig loaded;
            try {
                loaded = ConfigFile.load(configFile);
            } catch (ConfigException e) {
                e.problems().forEach(err::println);
                return ApplianceCommand.EXIT_CONFIG;
            }
            ApplianceConfig config = stateDir == null ? loaded.config() : loaded.config().withStateDir(stateDir);
            if (config.store().kind() != StoreConfig.Kind.POSTGRESQL) {
                err.println(loaded.problemAt("store", "the config keeps its leases in the journal: set"
                        + " \"store: {kind: postgresql, url: ...}\" to import into a database"));
                return ApplianceCommand.EXIT_CONFIG;
            }
            Path journal = config.stateDir().resolve(LeaseJournal.JOURNAL_NAME);
            if (!Files.exists(journal)) {
                err.println("no lease journal at " + journal + " (expected the state directory of the appliance"
                        + " whose leases to import; --state-dir names another)");
                return ApplianceCommand.EXIT_HOST;
            }
            Map<Inet4Address, Lease> latest = new LinkedHashMap<>();
            try (LeaseJournal source = new LeaseJournal(config.stateDir())) {
                for (Lease lease : source.load()) {
                    latest.remove(lease.ip());
                    latest.put(lease.ip(), lease);
                }
            }
            try (PostgresDatabase database = StoreDatabase.open(config.store().postgresql().orElseThrow())) {
                Optional<String> refusal = refusal(database, config);
                if (refusal.isPresent()) {
                    err.println(refusal.get());
                    return ApplianceCommand.EXIT_HOST;
                }
                PgLeaseStore store = new PgLeaseStore(database.dataSource(), database.settings().name(),
                        Optional.empty(), "import:" + NodeIdentity.hostName(), JournalTimings.NONE);
                int existing = store.load().size();
                if (existing > 0 && !force) {
                    err.println(database.settings().name() + " already holds " + existing + " lease records;"
                            + " importing would mix two appliances' leases (use --force to let the journal's"
                            + " records replace those of the same addresses)");
                    store.close();
                    return ApplianceCommand.EXIT_HOST;
                }
                List<Lease> all = new ArrayList<>(latest.values());
                try {
                    for (int from = 0; from < all.size(); from += CHUNK) {
                        List<Lease> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
                        store.writeBatch(() -> chunk, written -> { }).get(60, TimeUnit.SECONDS);
                    }
                } catch (ExecutionException | TimeoutException e) {
                    err.println("import stopped: " + (e.getCause() == null ? e : e.getCause()).getMessage()
                            + " (nothing of the failed chunk was written; rerun with --force to finish)");
                    return ApplianceCommand.EXIT_HOST;
                } finally {
                    store.close();
                }
                out.println("imported " + all.size() + " lease records (the latest of each address) from " + journal
                        + " into " + database.settings().name());
                return 0;
            } catch (IOException e) {
                err.println(loaded.problemAt("store.url", e.getMessage()));
                return ApplianceCommand.EXIT_HOST;
            }
        }

        /** An active node of the pair would not see imported rows until it restarts, and could overwrite them. */
        private static Optional<String> refusal(PostgresDatabase database, ApplianceConfig config)
                throws IOException {
            if (config.ha().isEmpty()) {
                return Optional.empty();
            }
            PairRegistry.Status status = new PairRegistry(database.dataSource(), config.ha().get().pair()).status();
            double takeover = config.ha().get().takeoverAfter().toMillis() / 1000.0;
            return status.lock().filter(lock -> lock.holder().isPresent() && lock.secondsSinceRenewal() < takeover)
                    .map(lock -> "node " + lock.holder().get() + " of pair " + status.pair() + " is active; stop both"
                            + " nodes before importing");
        }
    }
}
