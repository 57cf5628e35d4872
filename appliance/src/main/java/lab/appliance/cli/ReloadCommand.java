package lab.appliance.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code reload}: asks the running appliance to re-read its config; prints every problem if it is not valid. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Re-read the config file in the running appliance (VMs, reservations, profiles).")
final class ReloadCommand extends AdminCommandBase {

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.AdminCallException {
        client.call("POST", "/api/v1/reload", null);
        out.println("reloaded");
    }
}
