package lab.appliance.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.time.Instant;
import lab.appliance.fleet.BootDiagnosis;
import lab.appliance.fleet.BootEvent;
import lab.appliance.fleet.BootPhase;
import lab.appliance.fleet.Diagnosis;
import lab.appliance.fleet.VmBoot;
import lab.appliance.fleet.VmTimeline;
import lab.config.model.DeviceProfile;
import lab.config.model.ExtraInterface;
import lab.config.model.TemplateText;
import lab.config.model.VmRecord;
import lab.dhcp.lease.Lease;

/** How the admin API shows records as JSON: VM records with the YAML keys (so a GET can be PUT back), passwords never. */
final class JsonViews {

    private JsonViews() {
    }

    static Map<String, Object> vm(VmRecord vm) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mac", vm.mac());
        vm.hostname().ifPresent(h -> json.put("hostname", h));
        vm.profile().ifPresent(p -> json.put("profile", p));
        vm.ip().ifPresent(ip -> json.put("ip", ip.getHostAddress()));
        vm.instanceId().ifPresent(id -> json.put("instance-id", id));
        if (!vm.meta().isEmpty()) {
            json.put("meta", vm.meta());
        }
        if (!vm.interfaces().isEmpty()) {
            json.put("interfaces", vm.interfaces().stream().map(JsonViews::nic).toList());
        }
        if (!vm.sshKeys().isEmpty()) {
            json.put("ssh-keys", vm.sshKeys());
        }
        vm.userData().map(TemplateText::text).ifPresent(t -> json.put("user-data", t));
        vm.vendorData().map(TemplateText::text).ifPresent(t -> json.put("vendor-data", t));
        return json;
    }

    private static Map<String, Object> nic(ExtraInterface nic) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mac", nic.mac());
        json.put("address", nic.address().getHostAddress() + "/" + nic.prefixLength());
        nic.gateway().ifPresent(gw -> json.put("gateway", gw.getHostAddress()));
        return json;
    }

    static Map<String, Object> profile(DeviceProfile profile) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", profile.name());
        profile.macPrefix().ifPresent(p -> json.put("mac-prefix", p));
        profile.vendorClass().ifPresent(v -> json.put("vendor-class", v));
        profile.hostname().map(TemplateText::text).ifPresent(h -> json.put("hostname", h));
        json.put("ssh-keys", profile.sshKeys().size());
        json.put("user-data", profile.userData().isPresent());
        json.put("vendor-data", profile.vendorData().isPresent());
        profile.imdsTokens().ifPresent(t -> json.put("imds-tokens", t.toString().toLowerCase(java.util.Locale.ROOT)));
        return json;
    }

    static Map<String, Object> lease(Lease lease) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ip", lease.ip().getHostAddress());
        json.put("mac", lease.mac().toString());
        json.put("state", lease.state().name().toLowerCase(java.util.Locale.ROOT));
        json.put("hostname", lease.hostname());
        json.put("profile", lease.profile());
        json.put("client-id", lease.clientId());
        json.put("start", lease.start().toString());
        json.put("expires", lease.expires().toString());
        return json;
    }

    /**
     * Counts per phase and per profile and phase, the straggler threshold, then one line per VM: whether it is a
     * straggler and, only when there is one, its diagnosis.
     */
    static Map<String, Object> fleet(List<VmTimeline> all, BootDiagnosis doctor, Instant now) {
        Map<String, Long> phases = new LinkedHashMap<>();
        for (BootPhase phase : BootPhase.values()) {
            phases.put(phase.label(), 0L);
        }
        Map<String, Map<String, Long>> profiles = new TreeMap<>();
        List<Map<String, Object>> vms = new ArrayList<>();
        for (VmTimeline vm : all) {
            String phase = vm.phase().label();
            phases.merge(phase, 1L, Long::sum);
            profiles.computeIfAbsent(vm.profile(), p -> new TreeMap<>()).merge(phase, 1L, Long::sum);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("mac", vm.mac());
            line.put("ip", vm.ip().orElse(""));
            line.put("hostname", vm.hostname());
            line.put("profile", vm.profile());
            line.put("phase", phase);
            line.put("last-event", vm.lastEvent().map(e -> e.kind().name().toLowerCase(java.util.Locale.ROOT)).orElse(""));
            line.put("last-event-detail", vm.lastEvent().map(BootEvent::detail).orElse(""));
            line.put("last-event-at", vm.lastEvent().map(e -> e.at().toString()).orElse(""));
            line.put("straggler", BootDiagnosis.isStraggler(vm, now));
            doctor.of(vm, now).ifPresent(d -> line.put("diagnosis", diagnosis(d)));
            vms.add(line);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("total", all.size());
        json.put("straggler-after", BootDiagnosis.STRAGGLER_AFTER.toSeconds());
        json.put("phases", phases);
        json.put("profiles", profiles);
        json.put("vms", vms);
        return json;
    }

    /** One VM's boots with their events, and the current boot's diagnosis when there is one. */
    static Map<String, Object> timeline(VmTimeline vm, BootDiagnosis doctor, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mac", vm.mac());
        json.put("ip", vm.ip().orElse(""));
        json.put("hostname", vm.hostname());
        json.put("profile", vm.profile());
        json.put("phase", vm.phase().label());
        json.put("straggler", BootDiagnosis.isStraggler(vm, now));
        doctor.of(vm, now).ifPresent(d -> json.put("diagnosis", diagnosis(d)));
        List<Map<String, Object>> boots = new ArrayList<>();
        for (VmBoot boot : vm.boots()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("number", boot.number());
            b.put("started", boot.started().toString());
            b.put("phase", boot.phase().label());
            b.put("events", boot.events().stream().map(e -> Map.of("at", e.at().toString(),
                    "kind", e.kind().name().toLowerCase(java.util.Locale.ROOT), "detail", e.detail())).toList());
            boots.add(b);
        }
        json.put("boots", boots);
        return json;
    }

    private static Map<String, Object> diagnosis(Diagnosis diagnosis) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("code", diagnosis.code().label());
        json.put("text", diagnosis.text());
        return json;
    }
}
