package lab.appliance.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import lab.metadata.Flavour;

/**
 * The datasource doctor: says from a VM's current boot what most likely went wrong, for a boot that failed or a
 * straggler (neither finished nor failed, nothing heard for {@link #STRAGGLER_AFTER}).
 *
 * <p>Rules, first match wins (metadata-protocols §9, §11): a failed boot names its FAIL or DECLINE; a straggler with
 * a lease that never asked for metadata has no datasource (ds-identify disabled cloud-init); one whose requests
 * failed names them (cloud-init gives up on a datasource whose required files fail); one that asked another flavour
 * than its profile expects names both; one that got its data but never said it finished shows where its reporting
 * stopped. A straggler without a lease, or a finished boot, gets none.
 */
public final class BootDiagnosis {

    /** The one straggler threshold: the admin API judges with it, and the CLI and the page take it from there. */
    public static final Duration STRAGGLER_AFTER = Duration.ofSeconds(60);
    static final int PATHS_SHOWN = 3;

    /** {@code <s>meta-data} with no '/' before the file name: a NoCloud seed URL without its final slash (§6.3). */
    private static final Pattern SEED_WITHOUT_SLASH = Pattern.compile(".*[^/](meta-data|user-data|vendor-data)");

    /**
     * What a VM's profile expects of its boot.
     *
     * @param flavour     the metadata flavour its datasource asks for
     * @param datasource  the profile's {@code datasource:} word, e.g. {@code cloudstack}
     * @param qemuOptions the qemu options that make stock cloud-init pick it (as {@code launch-args --for qemu})
     */
    public record Expected(Flavour flavour, String datasource, String qemuOptions) {
        public Expected {
            Objects.requireNonNull(flavour, "flavour");
            Objects.requireNonNull(datasource, "datasource");
            Objects.requireNonNull(qemuOptions, "qemuOptions");
        }
    }

    private final Function<String, Optional<Expected>> expected;

    /** @param expected MAC (lowercase colon form) → what its profile expects; empty skips the rules that need it */
    public BootDiagnosis(Function<String, Optional<Expected>> expected) {
        this.expected = Objects.requireNonNull(expected, "expected");
    }

    /** Neither finished nor failed, and its last event is older than {@link #STRAGGLER_AFTER}. */
    public static boolean isStraggler(VmTimeline vm, Instant now) {
        return !ended(vm.phase()) && vm.lastEvent()
            .map(last -> Duration.between(last.at(), now).compareTo(STRAGGLER_AFTER) > 0).orElse(false);
    }

    /** The diagnosis of the VM's current boot at {@code now}, if it failed or is a straggler and a rule matches. */
    public Optional<Diagnosis> of(VmTimeline vm, Instant now) {
        List<BootEvent> events = vm.currentBoot().events();
        if (vm.phase() == BootPhase.FAILED) {
            return Optional.of(failed(events));
        }
        if (!isStraggler(vm, now)) {
            return Optional.empty();
        }
        return switch (vm.phase()) {
            case LEASED -> Optional.of(noDatasource(vm.mac()));
            case METADATA, USER_DATA -> metadataErrors(events)
                .or(() -> wrongFlavour(vm.mac(), events))
                .or(() -> Optional.of(noFinishReport(vm.phase(), events)));
            default -> Optional.empty();
        };
    }

    private Diagnosis noDatasource(String mac) {
        String why = "cloud-init never asked for metadata: no datasource was detected in the VM (ds-identify "
            + "disables cloud-init when nothing identifies the platform); ";
        String command = "appliance launch-args " + mac + " --for ";
        return new Diagnosis(Diagnosis.Code.NO_DATASOURCE, expected.apply(mac)
            .map(e -> why + "its profile's datasource is " + e.datasource() + ": launch it with qemu's "
                + e.qemuOptions() + " (`" + command + "libvirt|proxmox|vmware` for other hypervisors)")
            .orElseGet(() -> why + "run `" + command + "qemu|libvirt|proxmox|vmware` for the settings that "
                + "identify it"));
    }

    private static Diagnosis failed(List<BootEvent> events) {
        BootEvent end = null;
        BootEvent firstFail = null;
        for (BootEvent event : events) {
            if (event.kind() == BootEvent.Kind.FAILED || event.kind() == BootEvent.Kind.DECLINE) {
                end = event;
            }
            if (firstFail == null && event.kind() == BootEvent.Kind.REPORT && event.detail().endsWith(" FAIL")) {
                firstFail = event;
            }
        }
        if (end != null && end.kind() == BootEvent.Kind.DECLINE) {
            String address = end.detail().isEmpty() ? "its address" : end.detail();
            return new Diagnosis(Diagnosis.Code.FAILED, "the VM declined " + address
                + " (DHCPDECLINE: another host already uses it on the lab network)");
        }
        String ended = end == null ? "" : end.detail();
        return new Diagnosis(Diagnosis.Code.FAILED, firstFail == null
            ? "cloud-init reported the boot failed (" + ended + ")"
            : "cloud-init reported FAIL in " + report(firstFail.detail()) + "; the boot ended with " + ended);
    }

    private static Optional<Diagnosis> metadataErrors(List<BootEvent> events) {
        // Shown flavour → "path → status" parts, in the order the requests failed.
        Map<String, List<String>> failed = new LinkedHashMap<>();
        int count = 0;
        boolean seedWithoutSlash = false;
        for (BootEvent event : events) {
            if (event.kind() != BootEvent.Kind.METADATA_ERROR) {
                continue;
            }
            String[] parts = event.detail().split(" ", 3);
            if (parts.length < 3 || tolerated(flavour(parts[0]), parts[2])) {
                continue;
            }
            boolean noSlash = SEED_WITHOUT_SLASH.matcher(parts[2]).matches();
            seedWithoutSlash |= noSlash;
            count++;
            if (count <= PATHS_SHOWN) {
                // A seed without its slash is not under /nocloud/, so the router took it for Ec2 or CloudStack.
                String shown = noSlash ? name(Flavour.NOCLOUD) : flavour(parts[0]).map(BootDiagnosis::name)
                    .orElse(parts[0]);
                failed.computeIfAbsent(shown, f -> new ArrayList<>()).add(parts[2] + " → " + parts[1]);
            }
        }
        if (count == 0) {
            return Optional.empty();
        }
        List<String> clauses = new ArrayList<>();
        failed.forEach((flavour, paths) -> clauses.add(flavour + " asked " + String.join(", ", paths)));
        String text = String.join("; ", clauses) + (count > PATHS_SHOWN ? " (and " + (count - PATHS_SHOWN)
            + " more)" : "") + (seedWithoutSlash ? ": the seed URL must end with '/'" : "");
        return Optional.of(new Diagnosis(Diagnosis.Code.METADATA_ERRORS, text));
    }

    /** Failures cloud-init 22.4 carries on after: no user-data on Ec2/CloudStack, optional OpenStack/NoCloud files. */
    private static boolean tolerated(Optional<Flavour> flavour, String path) {
        return switch (flavour.orElse(Flavour.EC2)) {
            case EC2, CLOUDSTACK -> path.endsWith("/user-data");
            case OPENSTACK -> path.endsWith("/user_data") || path.endsWith("/vendor_data.json")
                || path.endsWith("/vendor_data2.json") || path.endsWith("/network_data.json");
            case NOCLOUD -> path.endsWith("/vendor-data");
        };
    }

    private Optional<Diagnosis> wrongFlavour(String mac, List<BootEvent> events) {
        Optional<Flavour> expected = this.expected.apply(mac).map(Expected::flavour);
        if (expected.isEmpty()) {
            return Optional.empty();
        }
        // The first request says which datasource cloud-init chose; OpenStack's later EC2 crawl is not a choice.
        Optional<Flavour> asked = events.stream()
            .filter(e -> e.kind() == BootEvent.Kind.METADATA || e.kind() == BootEvent.Kind.METADATA_ERROR)
            .findFirst().flatMap(e -> flavour(e.detail().split(" ", 2)[0]));
        if (asked.isEmpty() || asked.equals(expected)) {
            return Optional.empty();
        }
        return Optional.of(new Diagnosis(Diagnosis.Code.WRONG_FLAVOUR, "cloud-init asked for " + name(asked.get())
            + " metadata but the VM's profile expects " + name(expected.get())
            + ": the image or the VM's SMBIOS selects another datasource"));
    }

    private static Diagnosis noFinishReport(BootPhase phase, List<BootEvent> events) {
        String fetched = "cloud-init fetched " + (phase == BootPhase.USER_DATA ? "user-data" : "metadata")
            + " but never reported finishing";
        Optional<BootEvent> lastReport = events.stream().filter(e -> e.kind() == BootEvent.Kind.REPORT)
            .reduce((first, second) -> second);
        return new Diagnosis(Diagnosis.Code.NO_FINISH_REPORT, lastReport
            .map(r -> fetched + "; its last reporting-webhook event was " + report(r.detail()) + " at " + r.at())
            .orElse(fetched + " and no boot report arrived: add phone_home or the reporting webhook to the "
                + "user-data to know when it finished"));
    }

    /** "name event_type [result]" → "name (event_type[, result])". */
    private static String report(String detail) {
        String[] parts = detail.split(" ");
        if (parts.length < 2) {
            return detail;
        }
        return parts[0] + " (" + parts[1] + (parts.length > 2 ? ", " + parts[2] : "") + ")";
    }

    private static Optional<Flavour> flavour(String recorded) {
        try {
            return Optional.of(Flavour.valueOf(recorded.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a journal from another version: the flavour is just not judged
        }
    }

    /** cloud-init's own datasource names, which is what an operator configures. */
    static String name(Flavour flavour) {
        return switch (flavour) {
            case EC2 -> "Ec2";
            case CLOUDSTACK -> "CloudStack";
            case OPENSTACK -> "OpenStack";
            case NOCLOUD -> "NoCloud";
        };
    }

    private static boolean ended(BootPhase phase) {
        return phase == BootPhase.FINISHED || phase == BootPhase.FAILED;
    }
}
