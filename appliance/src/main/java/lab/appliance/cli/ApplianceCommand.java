package lab.appliance.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code appliance} command; its subcommands do the work. */
@Command(name = "appliance",
        mixinStandardHelpOptions = true,
        versionProvider = ApplianceVersion.class,
        description = "DHCP server and cloud-init metadata service for lab networks.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, LeasesCommand.class, VmsCommand.class,
                FleetCommand.class, ReloadCommand.class, LaunchArgsCommand.class, StatusCommand.class, StoreCommand.class, CommandLine.HelpCommand.class})
public final class ApplianceCommand {

    /** Exit status for a configuration with problems (as check-config reports them). */
    public static final int EXIT_CONFIG = 2;
    /** Exit status for a host that cannot run the appliance (interface, state directory, port). */
    public static final int EXIT_HOST = 1;

    /** A command line with this command and the project's error handling. */
    public static CommandLine commandLine() {
        return new CommandLine(new ApplianceCommand());
    }
}
