package lab.appliance.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import lab.appliance.fleet.BootDiagnosis;
import lab.appliance.fleet.BootEvent;
import lab.appliance.fleet.BootPhase;
import lab.appliance.fleet.VmBoot;
import lab.appliance.fleet.VmTimeline;
import lab.metadata.Flavour;
import org.junit.jupiter.api.Test;

/** GET /api/v1/fleet and /api/v1/fleet/{mac} as JSON: the straggler flag, and a diagnosis only when there is one. */
class JsonViewsTest {

    private static final Instant ACKED = Instant.parse("2026-11-25T12:00:00Z");
    private static final BootDiagnosis DOCTOR = new BootDiagnosis(mac -> Optional.of(
        new BootDiagnosis.Expected(Flavour.NOCLOUD, "nocloud", "-smbios 'type=1,serial=ds=nocloud-net;s=http://192.0.2.1/nocloud/'")));
    private final ObjectMapper json = new ObjectMapper();

    private static VmTimeline vm(String mac, BootPhase phase, BootEvent... events) {
        return new VmTimeline(mac, Optional.of("192.0.2.17"), "waf-17", "waf",
            List.of(new VmBoot(1, ACKED, List.of(events), phase)));
    }

    private static BootEvent at(int seconds, BootEvent.Kind kind, String detail) {
        return new BootEvent(ACKED.plusSeconds(seconds), kind, detail);
    }

    @Test
    void theFleetShowsTheThresholdAndADiagnosisOnlyForTheStuckVm() throws Exception {
        VmTimeline stuck = vm("02:00:00:00:00:17", BootPhase.METADATA, at(0, BootEvent.Kind.ACK, "192.0.2.17"),
            at(2, BootEvent.Kind.METADATA_ERROR, "ec2 404 /nocloudmeta-data"));
        VmTimeline busy = vm("02:00:00:00:00:18", BootPhase.LEASED, at(80, BootEvent.Kind.ACK, "192.0.2.18"));

        JsonNode fleet = json.valueToTree(JsonViews.fleet(List.of(stuck, busy), DOCTOR, ACKED.plusSeconds(90)));

        assertThat(fleet.path("straggler-after").asLong()).isEqualTo(BootDiagnosis.STRAGGLER_AFTER.toSeconds());
        JsonNode first = fleet.path("vms").get(0);
        assertThat(first.path("straggler").asBoolean()).isTrue();
        assertThat(first.path("last-event").asText()).isEqualTo("metadata_error");
        assertThat(first.path("diagnosis").path("code").asText()).isEqualTo("metadata-errors");
        assertThat(first.path("diagnosis").path("text").asText())
            .isEqualTo("NoCloud asked /nocloudmeta-data → 404: the seed URL must end with '/'");
        JsonNode second = fleet.path("vms").get(1);
        assertThat(second.path("straggler").asBoolean()).isFalse();
        assertThat(second.has("diagnosis")).isFalse();
    }

    @Test
    void theTimelineCarriesTheCurrentBootsDiagnosis() throws Exception {
        VmTimeline stuck = vm("02:00:00:00:00:17", BootPhase.LEASED, at(0, BootEvent.Kind.ACK, "192.0.2.17"));

        JsonNode timeline = json.valueToTree(JsonViews.timeline(stuck, DOCTOR, ACKED.plusSeconds(61)));

        assertThat(timeline.path("diagnosis").path("code").asText()).isEqualTo("no-datasource");
        assertThat(timeline.path("diagnosis").path("text").asText())
            .contains("its profile's datasource is nocloud: launch it with qemu's "
                + "-smbios 'type=1,serial=ds=nocloud-net;s=http://192.0.2.1/nocloud/'")
            .contains("`appliance launch-args 02:00:00:00:00:17 --for libvirt|proxmox|vmware`");
        assertThat(timeline.path("boots").get(0).path("events").get(0).path("kind").asText()).isEqualTo("ack");
    }
}
