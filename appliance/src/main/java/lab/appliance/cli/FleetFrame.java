package lab.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import lab.appliance.text.PrintableText;

/**
 * One frame of {@code fleet --watch}, drawn from GET /api/v1/fleet's JSON: a bar per phase, counts per profile, the
 * stragglers (VMs neither finished nor failed whose last event is older than a threshold) with their last step and
 * the appliance's diagnosis, and the failed VMs with theirs. The threshold is the appliance's unless overridden.
 */
final class FleetFrame {

    private static final Set<String> ENDED = Set.of("finished", "failed");
    private static final int BAR_WIDTH = 40;

    private final Optional<Duration> stragglerAfter;

    /** @param stragglerAfter the user's threshold; empty takes the appliance's judgement ({@code straggler}) */
    FleetFrame(Optional<Duration> stragglerAfter) {
        this.stragglerAfter = Objects.requireNonNull(stragglerAfter, "stragglerAfter");
    }

    /** "code: sentence" of a VM's diagnosis, if the appliance gave one. */
    static Optional<String> diagnosis(JsonNode vm) {
        JsonNode diagnosis = vm.path("diagnosis");
        return diagnosis.isObject()
                ? Optional.of(PrintableText.of(diagnosis.path("code").asText() + ": " + diagnosis.path("text").asText()))
                : Optional.empty();
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
        // Lines to print; a VM's diagnosis is a second line under it, so the VMs are counted apart.
        List<String> stragglers = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int stragglerCount = 0;
        int failedCount = 0;
        for (JsonNode vm : fleet.path("vms")) {
            Duration quiet = quietFor(vm, now);
            String phase = vm.path("phase").asText();
            if (phase.equals("failed")) {
                failedCount++;
                failed.add(String.format(Locale.ROOT, "  %-17s  %-15s  %s", text(vm, "mac"), text(vm, "ip"),
                        text(vm, "hostname")));
                diagnosis(vm).ifPresent(d -> failed.add("    " + d));
            }
            if (isStraggler(vm, phase, quiet)) {
                stragglerCount++;
                String detail = text(vm, "last-event-detail");
                stragglers.add(String.format(Locale.ROOT, "  %-17s  %-15s  %-10s  %-9s  last %s%s %d s ago",
                        text(vm, "mac"), text(vm, "ip"), text(vm, "hostname"), PrintableText.of(phase),
                        text(vm, "last-event"),
                        detail.isEmpty() ? "" : " (" + detail + ")", quiet.toSeconds()));
                diagnosis(vm).ifPresent(d -> stragglers.add("    " + d));
            }
        }
        long threshold = stragglerAfter.map(Duration::toSeconds).orElse(fleet.path("straggler-after").asLong());
        line(text, "Stragglers (not finished, no event for %d s): %d", threshold, stragglerCount);
        stragglers.forEach(s -> line(text, "%s", s));
        if (!failed.isEmpty()) {
            line(text, "Failed: %d", failedCount);
            failed.forEach(s -> line(text, "%s", s));
        }
        return text.toString();
    }

    private boolean isStraggler(JsonNode vm, String phase, Duration quiet) {
        if (ENDED.contains(phase) || quiet == null) {
            return false;
        }
        return stragglerAfter.map(after -> quiet.compareTo(after) > 0).orElse(vm.path("straggler").asBoolean());
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

    /** A field as it may be printed: hostnames and event details come from VMs. */
    static String text(JsonNode node, String field) {
        return PrintableText.of(node.path(field).asText());
    }

    private static void line(StringBuilder text, String format, Object... args) {
        text.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
