package lab.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One frame of {@code fleet --watch}, drawn from GET /api/v1/fleet's JSON: a bar per phase, counts per profile and
 * the stragglers (VMs neither finished nor failed whose last event is older than a threshold) with their last step.
 */
final class FleetFrame {

    private static final Set<String> ENDED = Set.of("finished", "failed");
    private static final int BAR_WIDTH = 40;

    private final Duration stragglerAfter;

    FleetFrame(Duration stragglerAfter) {
        this.stragglerAfter = Objects.requireNonNull(stragglerAfter, "stragglerAfter");
    }

    /** True once the fleet has VMs and every one of them finished or failed its boot. */
    static boolean allEnded(JsonNode fleet) {
        if (fleet.path("total").asLong() == 0) {
            return false;
        }
        for (JsonNode vm : fleet.path("vms")) {
            if (!ENDED.contains(vm.path("phase").asText())) {
                return false;
            }
        }
        return true;
    }

    String render(JsonNode fleet, Instant now) {
        StringBuilder text = new StringBuilder();
        long total = fleet.path("total").asLong();
        line(text, "Fleet at %s: %d VMs", now, total);
        List<String> phases = new ArrayList<>();
        fleet.path("phases").fieldNames().forEachRemaining(phases::add);
        for (String phase : phases) {
            long count = fleet.path("phases").path(phase).asLong();
            int filled = total == 0 ? 0 : (int) Math.round((double) BAR_WIDTH * count / total);
            line(text, "  %-10s [%s%s] %4d", phase, "#".repeat(filled), ".".repeat(BAR_WIDTH - filled), count);
        }
        text.append(System.lineSeparator());
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-12s", "PROFILE"));
        phases.forEach(p -> header.append(String.format(Locale.ROOT, " %9s", p)));
        line(text, "%s", header);
        fleet.path("profiles").fields().forEachRemaining(profile -> {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-12s", profile.getKey()));
            phases.forEach(p -> row.append(String.format(Locale.ROOT, " %9d", profile.getValue().path(p).asLong())));
            line(text, "%s", row);
        });
        text.append(System.lineSeparator());
        List<String> stragglers = new ArrayList<>();
        for (JsonNode vm : fleet.path("vms")) {
            Duration quiet = quietFor(vm, now);
            if (!ENDED.contains(vm.path("phase").asText()) && quiet != null && quiet.compareTo(stragglerAfter) > 0) {
                String detail = vm.path("last-event-detail").asText();
                stragglers.add(String.format(Locale.ROOT, "  %-17s  %-15s  %-10s  %-9s  last %s%s %d s ago",
                        vm.path("mac").asText(), vm.path("ip").asText(), vm.path("hostname").asText(),
                        vm.path("phase").asText(), vm.path("last-event").asText(),
                        detail.isEmpty() ? "" : " (" + detail + ")", quiet.toSeconds()));
            }
        }
        line(text, "Stragglers (not finished, no event for %d s): %d", stragglerAfter.toSeconds(), stragglers.size());
        stragglers.forEach(s -> line(text, "%s", s));
        return text.toString();
    }

    private static Duration quietFor(JsonNode vm, Instant now) {
        String at = vm.path("last-event-at").asText();
        if (at.isEmpty()) {
            return null;
        }
        try {
            return Duration.between(Instant.parse(at), now);
        } catch (DateTimeParseException e) {
            // An appliance of another version may write times differently; such a VM is just not judged.
            return null;
        }
    }

    private static void line(StringBuilder text, String format, Object... args) {
        text.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
