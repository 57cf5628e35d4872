package lab.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fleet}: a table of the VMs' boots (phase, last event, its time, and under a VM what most likely went wrong
 * when the appliance has a diagnosis) with counts per phase; with {@code --watch}
 * a live view redrawn about once a second until every VM finished or failed (or Ctrl-C).
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "Show the fleet's boot progress as a table, or live with --watch.")
final class FleetCommand extends AdminCommandBase {

    /** ANSI: cursor home, then erase the screen, so each frame replaces the last one. */
    private static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";
    private static final Duration REFRESH = Duration.ofSeconds(1);

    @Option(names = "--watch", description = "Redraw the fleet's progress every second (bars per phase, counts per "
            + "profile, stragglers) until every VM finished or failed.")
    boolean watch;

    @Option(names = "--straggler-after", paramLabel = "SECONDS",
            description = "With --watch: a VM not finished whose last event is older than this is a straggler "
                    + "(default: the appliance's threshold, the one its page and diagnoses use).")
    Long stragglerSeconds;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.AdminCallException {
        if (watch) {
            watch(client, out);
        } else {
            table(client.call("GET", "/api/v1/fleet", null), out);
        }
    }

    private void watch(AdminClient client, PrintWriter out) throws AdminClient.AdminCallException {
        FleetFrame frame = new FleetFrame(Optional.ofNullable(stragglerSeconds).map(Duration::ofSeconds));
        Clock clock = Clock.systemUTC();
        // Clearing only makes sense on a terminal; piped output keeps every frame, one after the other.
        boolean terminal = System.console() != null;
        while (true) {
            JsonNode fleet = client.call("GET", "/api/v1/fleet", null);
            out.print(terminal ? CLEAR_SCREEN : System.lineSeparator());
            out.print(frame.render(fleet, clock.instant()));
            if (FleetFrame.allEnded(fleet)) {
                out.println("All " + fleet.path("total").asLong() + " VMs finished or failed.");
                out.flush();
                return;
            }
            out.flush();
            try {
                Thread.sleep(REFRESH.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AdminClient.AdminCallException("interrupted");
            }
        }
    }

    private static void table(JsonNode fleet, PrintWriter out) {
        out.printf("%-17s  %-15s  %-10s  %-10s  %-12s  %s%n", "MAC", "IP", "PROFILE", "PHASE", "LAST EVENT", "AT");
        for (JsonNode vm : fleet.path("vms")) {
            out.printf("%-17s  %-15s  %-10s  %-10s  %-12s  %s%n", FleetFrame.text(vm, "mac"),
                    FleetFrame.text(vm, "ip"), FleetFrame.text(vm, "profile"), FleetFrame.text(vm, "phase"),
                    FleetFrame.text(vm, "last-event"), FleetFrame.text(vm, "last-event-at"));
            FleetFrame.diagnosis(vm).ifPresent(d -> out.printf("    %s%n", d));
        }
        StringBuilder phases = new StringBuilder();
        fleet.path("phases").fields().forEachRemaining(e -> phases.append(' ').append(e.getKey()).append('=')
                .append(e.getValue().asLong()));
        out.println(fleet.path("total").asLong() + " VMs:" + phases);
    }
}
