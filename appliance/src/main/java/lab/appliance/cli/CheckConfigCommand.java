package lab.appliance.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import lab.config.ConfigException;
import lab.config.ConfigLoader;
import lab.config.ConfigProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code check-config FILE}: the startup loader without starting anything; every problem, one per line. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a configuration file: print every problem as file:line:column: path: message and exit "
                + "non-zero if there is any.")
public final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The YAML configuration to check.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            new ConfigLoader().load(file);
            out.println(file + ": OK");
            return 0;
        } catch (ConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                err.println(problem);
            }
            err.println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems") + " in " + file);
            return ApplianceCommand.EXIT_CONFIG;
        }
    }
}
