package lab.appliance;

import lab.appliance.cli.ApplianceCommand;
import picocli.CommandLine;

/** Entry point of {@code appliance.jar}: hands the command line to picocli and exits with the command's status. */
public final class ApplianceMain {

    private ApplianceMain() {
    }

    public static void main(String[] args) {
        System.exit(ApplianceCommand.commandLine().execute(args));
    }
}
