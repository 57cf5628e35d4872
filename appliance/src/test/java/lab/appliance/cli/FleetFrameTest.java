package lab.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One {@code fleet --watch} frame drawn from a fixed GET /api/v1/fleet answer at a fixed time. */
class FleetFrameTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final String FLEET = """
            {"total": 4, "straggler-after": 60,
             "phases": {"no-lease": 0, "leased": 1, "metadata": 1, "user-data": 0, "finished": 1, "failed": 1},
             "profiles": {"db": {"finished": 1}, "waf": {"leased": 1, "metadata": 1, "failed": 1}},
             "vms": [
               {"mac": "02:00:00:aa:00:01", "ip": "192.0.2.11", "hostname": "waf-1", "profile": "waf",
                "phase": "metadata", "last-event": "metadata_error",
                "last-event-detail": "ec2 404 /nocloudmeta-data", "last-event-at": "2026-01-01T11:58:00Z",
                "straggler": true, "diagnosis": {"code": "metadata-errors",
                "text": "NoCloud asked /nocloudmeta-data → 404: the seed URL must end with '/'"}},
               {"mac": "02:00:00:aa:00:02", "ip": "192.0.2.12", "hostname": "waf-2", "profile": "waf",
                "phase": "leased", "last-event": "ack", "last-event-detail": "",
                "last-event-at": "2026-01-01T11:59:30Z", "straggler": false},
               {"mac": "02:00:00:aa:00:03", "ip": "192.0.2.13", "hostname": "waf-3", "profile": "waf",
                "phase": "failed", "last-event": "failed", "last-event-detail": "modules-final FAIL",
                "last-event-at": "2026-01-01T11:00:00Z", "straggler": false, "diagnosis": {"code": "failed",
                "text": "cloud-init reported the boot failed (modules-final FAIL)"}},
               {"mac": "02:00:00:bb:00:01", "ip": "192.0.2.21", "hostname": "db-1", "profile": "db",
                "phase": "finished", "last-event": "phone_home", "last-event-detail": "",
                "last-event-at": "2026-01-01T11:00:00Z", "straggler": false}
             ]}
            """;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void drawsABarPerPhaseScaledToTheFleet() throws Exception {
        String frame = new FleetFrame(Optional.empty()).render(json.readTree(FLEET), NOW);

        assertThat(frame).startsWith("Fleet at 2026-01-01T12:00:00Z: 4 VMs" + System.lineSeparator());
        assertThat(frame.lines()).contains(
                "  no-lease   [" + ".".repeat(40) + "]    0",
                "  leased     [" + "#".repeat(10) + ".".repeat(30) + "]    1",
                "  finished   [" + "#".repeat(10) + ".".repeat(30) + "]    1");
    }

    @Test
    void countsEveryPhaseOfEachProfile() throws Exception {
        String frame = new FleetFrame(Optional.empty()).render(json.readTree(FLEET), NOW);

        assertThat(frame.lines()).contains(
                "  PROFILE       no-lease    leased  metadata user-data  finished    failed",
                "  db                   0         0         0         0         1         0",
                "  waf                  0         1         1         0         0         1");
    }

    @Test
    void listsTheAppliancesStragglersWithTheirLastStepAndDiagnosis() throws Exception {
        String frame = new FleetFrame(Optional.empty()).render(json.readTree(FLEET), NOW);

        assertThat(frame.lines()).containsSubsequence("Stragglers (not finished, no event for 60 s): 1",
                "  02:00:00:aa:00:01  192.0.2.11       waf-1       metadata   last metadata_error "
                        + "(ec2 404 /nocloudmeta-data) 120 s ago",
                "    metadata-errors: NoCloud asked /nocloudmeta-data → 404: the seed URL must end with '/'",
                "Failed: 1");
        assertThat(frame).doesNotContain("waf-2", "db-1");
    }

    @Test
    void listsFailedVmsWithWhyTheyFailed() throws Exception {
        String frame = new FleetFrame(Optional.empty()).render(json.readTree(FLEET), NOW);

        assertThat(frame.lines()).containsSubsequence("Failed: 1", "  02:00:00:aa:00:03  192.0.2.13       waf-3",
                "    failed: cloud-init reported the boot failed (modules-final FAIL)");
    }

    /** A webhook event name or a path is the VM's text: it can neither drive the terminal nor forge a line. */
    @Test
    void escapeSequencesAndLineBreaksFromAVmArePrintedAsCodes() throws Exception {
        JsonNode fleet = json.readTree("""
                {"total": 1, "straggler-after": 60, "phases": {"metadata": 1}, "profiles": {},
                 "vms": [{"mac": "02:00:00:aa:00:01", "ip": "192.0.2.11", "hostname": "waf-1", "profile": "",
                  "phase": "metadata", "last-event": "report",
                  "last-event-detail": "x\\u001b[2J\\nFailed: 0 start", "last-event-at": "2026-01-01T11:58:00Z",
                  "straggler": true, "diagnosis": {"code": "no-finish-report",
                  "text": "stopped after \\u001b]0;owned\\u0007x\\u202e (start)"}}]}""");

        String frame = new FleetFrame(Optional.empty()).render(fleet, NOW);

        assertThat(frame).doesNotContain("\u001b", "\u0007", "\u202e");
        assertThat(frame.lines()).doesNotContain("Failed: 0 start").anySatisfy(line -> assertThat(line)
                .contains("last report (x\\x1b[2J\\x0aFailed: 0 start) 120 s ago"));
        assertThat(frame).contains("    no-finish-report: stopped after \\x1b]0;owned\\x07x\\u202e (start)");
    }

    @Test
    void aLowerThresholdMakesMoreStragglers() throws Exception {
        String frame = new FleetFrame(Optional.of(Duration.ofSeconds(10))).render(json.readTree(FLEET), NOW);

        assertThat(frame.lines()).contains("Stragglers (not finished, no event for 10 s): 2");
        assertThat(frame).contains("waf-2");
    }

    @Test
    void endsOnlyWhenEveryVmFinishedOrFailed() throws Exception {
        JsonNode running = json.readTree(FLEET);
        JsonNode ended = json.readTree("""
                {"total": 2, "vms": [{"phase": "finished"}, {"phase": "failed"}]}""");
        JsonNode empty = json.readTree("""
                {"total": 0, "vms": []}""");

        assertThat(FleetFrame.allEnded(running)).isFalse();
        assertThat(FleetFrame.allEnded(ended)).isTrue();
        assertThat(FleetFrame.allEnded(empty)).isFalse();
    }
}
