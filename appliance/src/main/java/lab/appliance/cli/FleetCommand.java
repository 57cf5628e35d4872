package lab.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code fleet}: a table of the VMs' boots (phase, last event, its time) with counts per phase. */
@Command(name = "fleet", mixinStandardHelpOptions = true, description = "Show the fleet's boot progress as a table.")
final class FleetCommand extends AdminCommandBase {

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.AdminCallException {
        JsonNode fleet = client.call("GET", "/api/v1/fleet", null);
        out.printf("%-17s  %-15s  %-10s  %-10s  %-12s  %s%n", "MAC", "IP", "PROFILE", "PHASE", "LAST EVENT", "AT");
        for (JsonNode vm : fleet.path("vms")) {
            out.printf("%-17s  %-15s  %-10s  %-10s  %-12s  %s%n", vm.path("mac").asText(), vm.path("ip").asText(),
                    vm.path("profile").asText(), vm.path("phase").asText(), vm.path("last-event").asText(),
                    vm.path("last-event-at").asText());
        }
        StringBuilder phases = new StringBuilder();
        fleet.path("phases").fields().forEachRemaining(e -> phases.append(' ').append(e.getKey()).append('=')
                .append(e.getValue().asLong()));
        out.println(fleet.path("total").asLong() + " VMs:" + phases);
    }
}
