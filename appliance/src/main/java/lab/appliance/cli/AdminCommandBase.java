package lab.appliance.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every command talking to a running appliance shares: {@code --config}, the client, error printing. */
abstract class AdminCommandBase implements Callable<Integer> {

    /** Exit status when the appliance refused or could not be reached. */
    static final int EXIT_ADMIN = 3;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "/etc/appliance/appliance.yaml",
            description = "The appliance's YAML configuration (admin address and token file), default ${DEFAULT-VALUE}.")
    Path configFile;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "The --state-dir the appliance runs with: its admin token is there unless the config names "
                    + "another token file.")
    Path stateDir;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try {
            run(AdminClient.forConfig(configFile, stateDir), spec.commandLine().getOut());
            return 0;
        } catch (AdminClient.AdminCallException e) {
            spec.commandLine().getErr().println("appliance " + spec.name() + ": " + e.getMessage());
            return EXIT_ADMIN;
        }
    }

    abstract void run(AdminClient client, PrintWriter out) throws AdminClient.AdminCallException;
}
