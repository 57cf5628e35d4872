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
            out.printf("%-15s  %-17s  %-8s  %-20s  %-12s  %s%n", lease.path("ip").asText(), lease.path("mac").asText(),
                    lease.path("state").asText(), lease.path("expires").asText(), lease.path("profile").asText(),
                    lease.path("hostname").asText());
        }
    }
}
