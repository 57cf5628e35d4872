package lab.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vms list|show|add|rm}: the VM records of the running appliance. */
@Command(name = "vms", mixinStandardHelpOptions = true, description = "List, show, add or remove VM records.",
        subcommands = {VmsCommand.List.class, VmsCommand.Show.class, VmsCommand.Add.class, VmsCommand.Remove.class})
final class VmsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per VM record.")
    static final class List extends AdminCommandBase {
        @Override
        void run(AdminClient client, PrintWriter out) throws AdminClient.AdminCallException {
            out.printf("%-17s  %-15s  %-10s  %s%n", "MAC", "IP", "PROFILE", "HOSTNAME");
            for (JsonNode vm : client.call("GET", "/api/v1/vms", null)) {
                out.printf("%-17s  %-15s  %-10s  %s%n", vm.path("mac").asText(), vm.path("ip").asText("-"),
                        vm.path("profile").asText("-"), vm.path("hostname").asText("-"));
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One VM record as JSON.")
    static final class Show extends AdminCommandBase {
        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Override
        void run(AdminClient client, PrintWriter out) throws AdminClient.AdminCallException {
            out.println(client.call("GET", "/api/v1/vms/" + mac, null).toPrettyString());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add or replace a VM record: a JSON object with the keys of a vms item, from FILE or -.")
    static final class Add extends AdminCommandBase {
        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Parameters(index = "1", paramLabel = "FILE", description = "The record as JSON; - reads standard input.")
        String file;

        @Override
        void run(AdminClient client, PrintWriter out) throws AdminClient.AdminCallException {
            String body;
            try {
                body = file.equals("-") ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        : Files.readString(Path.of(file));
                new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AdminClient.AdminCallException("cannot read the record from " + file + ": " + e.getMessage());
            }
            out.println(client.call("PUT", "/api/v1/vms/" + mac, body).toPrettyString());
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a VM record.")
    static final class Remove extends AdminCommandBase {
        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Override
        void run(AdminClient client, PrintWriter out) throws AdminClient.AdminCallException {
            client.call("DELETE", "/api/v1/vms/" + mac, null);
            out.println("removed " + mac);
        }
    }
}
