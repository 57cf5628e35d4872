package lab.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code leases}: the running appliance's lease table, one lease per line. */
@Command(name = "leases", mixinStandardHelpOptions = true, description = "List the leases of the running appliance.")
final class LeasesCommand extends AdminCommandBase {

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.AdminCallException {
        out.printf("%-15s  %-17s  %-8s  %-20s  %-12s  %s%n", "IP", "MAC", "STATE", "EXPIRES", "PROFILE", "HOSTNAME");
        for (JsonNode lease : client.call("GET", "/api/v1/leases", null)) {
            // The hostname is whatever the VM's DHCP client sent in option 12.
            out.printf("%-15s  %-17s  %-8s  %-20s  %-12s  %s%n", FleetFrame.text(lease, "ip"),
                    FleetFrame.text(lease, "mac"), FleetFrame.text(lease, "state"), FleetFrame.text(lease, "expires"),
                    FleetFrame.text(lease, "profile"), FleetFrame.text(lease, "hostname"));
        }
    }
}
