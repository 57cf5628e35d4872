package lab.appliance.cli;

import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import lab.appliance.Appliance;
import lab.appliance.ConfigFile;
import lab.appliance.HostProblemsException;
import lab.appliance.pair.PairNode;
import lab.appliance.store.StoreDatabase;
import lab.config.ConfigException;
import lab.config.ConfigProblem;
import lab.config.LoadedConfig;
import lab.config.model.ApplianceConfig;
import lab.pgstore.PostgresDatabase;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code run --config FILE}: runs the appliance in the foreground until SIGTERM or SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the appliance in the foreground on the served interface until stopped (SIGTERM, Ctrl-C).")
public final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration, e.g. /etc/appliance/appliance.yaml.")
    Path configFile;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Keep leases and other state here instead of the config's state-dir (and the admin token, "
                    + "unless the config names a token file other than the default).")
    Path stateDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        LoadedConfig loaded;
        try {
            loaded = ConfigFile.load(configFile);
        } catch (ConfigException e) {
            printAll(err, e.problems());
            return ApplianceCommand.EXIT_CONFIG;
        }
        ApplianceConfig config = loaded.config();
        if (stateDir != null) {
            config = config.withStateDir(stateDir);
        }
        if (config.ha().isPresent()) {
            return runPairNode(config, loaded, err);
        }
        Appliance appliance = new Appliance(config, loaded::problemAt);
        try {
            appliance.start();
        } catch (HostProblemsException e) {
            printAll(err, e.problems());
            appliance.close();
            return ApplianceCommand.EXIT_HOST;
        }
        // SIGHUP reloads the config, as dnsmasq users expect. sun.misc.Signal (module jdk.unsupported, open to the
        // class path on Java 17) is the JDK's only way to catch it; a failed reload logs every problem and keeps running.
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> appliance.reload());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            appliance.close();
            flushLogs();
            stopped.countDown();
        }, "appliance-shutdown"));
        stopped.await();
        return 0;
    }

    /** As a node of an active/standby pair: standby until it holds the pair's lock, then the whole appliance. */
    private int runPairNode(ApplianceConfig config, LoadedConfig loaded, PrintWriter err) throws InterruptedException {
        PostgresDatabase database;
        try {
            database = StoreDatabase.open(config.store().postgresql().orElseThrow());
        } catch (IOException e) {
            printAll(err, List.of(loaded.problemAt("store.url", e.getMessage())));
            return ApplianceCommand.EXIT_HOST;
        }
        PairNode node = new PairNode(config, loaded::problemAt, database);
        try {
            node.start();
        } catch (IOException e) {
            printAll(err, List.of(loaded.problemAt("ha", e.getMessage())));
            node.close();
            database.close();
            return ApplianceCommand.EXIT_HOST;
        }
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> node.appliance().ifPresent(Appliance::reload));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            database.close();
            flushLogs();
            stopped.countDown();
        }, "appliance-shutdown"));
        stopped.await();
        return 0;
    }

    /** The log goes through an asynchronous appender; stopping Logback writes out what is still queued. */
    private static void flushLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    private static void printAll(PrintWriter err, List<ConfigProblem> problems) {
        problems.forEach(err::println);
        err.flush();
    }
}
