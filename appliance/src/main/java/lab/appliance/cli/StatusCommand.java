package lab.appliance.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import lab.appliance.ConfigFile;
import lab.appliance.store.StoreDatabase;
import lab.config.ConfigException;
import lab.config.LoadedConfig;
import lab.config.model.HaConfig;
import lab.pgstore.PairRegistry;
import lab.pgstore.PostgresDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code status --config FILE}: the pair's nodes as the shared database knows them, and which one is active. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show both nodes of the active/standby pair the config belongs to (read from its PostgreSQL"
                + " store): each node's role and last heartbeat, and which one holds the active lock.")
public final class StatusCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration of either node (its store and ha sections are read).")
    Path configFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadedConfig loaded;
        try {
            loaded = ConfigFile.load(configFile);
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            return ApplianceCommand.EXIT_CONFIG;
        }
        if (loaded.config().ha().isEmpty()) {
            err.println(configFile + ": no ha section: this appliance runs alone (see `appliance leases` for its"
                    + " state)");
            return ApplianceCommand.EXIT_CONFIG;
        }
        HaConfig ha = loaded.config().ha().get();
        try (PostgresDatabase database = StoreDatabase.open(loaded.config().store().postgresql().orElseThrow())) {
            PairRegistry.Status status = new PairRegistry(database.dataSource(), ha.pair()).status();
            print(out, status, ha);
            return status.lock().flatMap(PairRegistry.Lock::holder).isPresent() ? 0 : 3;
        } catch (IOException e) {
            err.println(loaded.problemAt("store.url", e.getMessage()));
            return ApplianceCommand.EXIT_HOST;
        }
    }

    static void print(PrintWriter out, PairRegistry.Status status, HaConfig ha) {
        double takeover = ha.takeoverAfter().toMillis() / 1000.0;
        String active = status.lock().flatMap(lock -> lock.holder().map(holder -> String.format(Locale.ROOT,
                "active: %s (epoch %d, lock renewed %.1f s ago%s, taken %s)", holder, lock.epoch(),
                lock.secondsSinceRenewal(), lock.secondsSinceRenewal() >= takeover ? ", STALE: the standby takes over"
                        : "", lock.takenAt()))).orElse("active: none (no node holds the lock)");
        out.println("pair " + status.pair() + " - " + active);
        out.println(String.format(Locale.ROOT, "%-20s %-8s %-16s %-20s %-14s %s", "NODE", "ROLE", "HEARTBEAT", "HOST",
                "VERSION", "STARTED"));
        List<PairRegistry.Node> nodes = status.nodes();
        for (PairRegistry.Node node : nodes) {
            String role = node.role().name().toLowerCase(Locale.ROOT);
            boolean silent = node.role() != PairRegistry.Role.STOPPED && node.secondsSinceHeartbeat() >= takeover;
            out.println(String.format(Locale.ROOT, "%-20s %-8s %-16s %-20s %-14s %s", node.node(),
                    silent ? role + "?" : role, String.format(Locale.ROOT, "%.1f s ago%s",
                            node.secondsSinceHeartbeat(), silent ? " (silent)" : ""), node.address(),
                    node.version(), node.startedAt()));
        }
        if (nodes.isEmpty()) {
            out.println("(no node has registered yet)");
        }
        out.flush();
    }
}
