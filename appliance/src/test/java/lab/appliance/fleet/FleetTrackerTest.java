package lab.appliance.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.dhcp4java.DHCPConstants.DHCPACK;
import static org.dhcp4java.DHCPConstants.DHCPDECLINE;
import static org.dhcp4java.DHCPConstants.DHCPDISCOVER;
import static org.dhcp4java.DHCPConstants.DHCPOFFER;
import static org.dhcp4java.DHCPConstants.DHCPREQUEST;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lab.dhcp.MacAddress;
import lab.metadata.BootReport;
import lab.metadata.Flavour;
import lab.metadata.Instance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tracker's records per MAC, boots, bounds and the journal that brings them back after a restart. */
class FleetTrackerTest {

    private static final String MAC = "02:00:00:00:00:17";
    private static final Inet4Address IP = ip("192.0.2.17");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path stateDir;
    FleetTracker tracker;

    @BeforeEach
    void start() throws Exception {
        tracker = tracker();
    }

    @AfterEach
    void stop() throws Exception {
        tracker.close();
    }

    private FleetTracker tracker() throws Exception {
        FleetTracker started = new FleetTracker(stateDir,
            mac -> mac.equals(MAC) ? new FleetTracker.Label("waf-17", "waf") : FleetTracker.Label.UNKNOWN, CLOCK);
        started.start();
        return started;
    }

    private void dora() {
        MacAddress mac = MacAddress.parse(MAC);
        tracker.dhcpEvent(mac, DHCPDISCOVER, false, Optional.empty());
        tracker.dhcpEvent(mac, DHCPOFFER, true, Optional.of(IP));
        tracker.dhcpEvent(mac, DHCPREQUEST, false, Optional.of(IP));
        tracker.dhcpEvent(mac, DHCPACK, true, Optional.of(IP));
    }

    private static Instance instance() {
        return new Instance("i-17", "waf-17", IP, 24, Optional.empty(), MAC, "waf", List.of(), Optional.empty(),
            Optional.empty(), Optional.empty(), Map.of(), List.of(), "lab", List.of(), false);
    }

    private void crawlAndFinish(String result) {
        for (String path : List.of("/latest/meta-data/", "/latest/meta-data/instance-id", "/latest/user-data",
            "/latest/meta-data/hostname", "/latest/user-data")) {
            tracker.served(instance(), Flavour.CLOUDSTACK, path, 200);
        }
        tracker.bootReport(instance(), new BootReport(BootReport.Kind.PHONE_HOME, "phone_home", "",
            Optional.empty(), Map.of("instance_id", "i-17")));
        tracker.bootReport(instance(), new BootReport(BootReport.Kind.EVENT, "modules-config/config-runcmd",
            "finish", Optional.of("SUCCESS"), Map.of()));
        tracker.bootReport(instance(), new BootReport(BootReport.Kind.EVENT, "modules-final", "finish",
            Optional.of(result), Map.of()));
    }

    private static List<BootEvent.Kind> kinds(VmBoot boot) {
        return boot.events().stream().map(BootEvent::kind).toList();
    }

    @Test
    void aWholeBootIsRecordedOnceEachStepWithLabelsFromTheInventory() {
        dora();
        crawlAndFinish("SUCCESS");

        VmTimeline vm = tracker.of("02:00:00:00:00:17").orElseThrow();
        assertThat(vm.ip()).contains("192.0.2.17");
        assertThat(vm.hostname()).isEqualTo("waf-17");
        assertThat(vm.profile()).isEqualTo("waf");
        assertThat(kinds(vm.currentBoot())).containsExactly(BootEvent.Kind.DISCOVER, BootEvent.Kind.OFFER,
            BootEvent.Kind.REQUEST, BootEvent.Kind.ACK, BootEvent.Kind.METADATA, BootEvent.Kind.USER_DATA,
            BootEvent.Kind.PHONE_HOME, BootEvent.Kind.REPORT, BootEvent.Kind.FINISHED);
        assertThat(vm.currentBoot().events().get(4).detail()).isEqualTo("cloudstack");
        assertThat(vm.phase()).isEqualTo(BootPhase.FINISHED);
    }

    @Test
    void aFailFinishFailsTheBootAndTheNextDiscoverStartsANewOne() {
        dora();
        crawlAndFinish("FAIL");
        assertThat(tracker.of(MAC).orElseThrow().phase()).isEqualTo(BootPhase.FAILED);

        dora();

        VmTimeline vm = tracker.of(MAC).orElseThrow();
        assertThat(vm.boots()).extracting(VmBoot::number).containsExactly(1, 2);
        assertThat(vm.boots().get(0).phase()).isEqualTo(BootPhase.FAILED);
        assertThat(vm.phase()).isEqualTo(BootPhase.LEASED);
    }

    @Test
    void aRebootedClientsInitRebootRequestStartsANewBootButARenewalDoesNot() {
        MacAddress mac = MacAddress.parse(MAC);
        dora();
        crawlAndFinish("SUCCESS");
        // A renewal (no restart told) stays in the finished boot.
        tracker.dhcpEvent(mac, DHCPREQUEST, false, Optional.of(IP));
        tracker.dhcpEvent(mac, DHCPACK, true, Optional.of(IP));
        assertThat(tracker.of(MAC).orElseThrow().boots()).hasSize(1);

        tracker.clientRestarted(mac);
        tracker.dhcpEvent(mac, DHCPREQUEST, false, Optional.of(IP));
        tracker.dhcpEvent(mac, DHCPACK, true, Optional.of(IP));

        VmTimeline vm = tracker.of(MAC).orElseThrow();
        assertThat(vm.boots()).extracting(VmBoot::number).containsExactly(1, 2);
        assertThat(kinds(vm.currentBoot())).containsExactly(BootEvent.Kind.REQUEST, BootEvent.Kind.ACK);
        assertThat(vm.phase()).isEqualTo(BootPhase.LEASED);
    }

    @Test
    void aDiscoverBeforeTheBootEndedStaysInTheSameBoot() {
        dora();
        dora();

        assertThat(tracker.of(MAC).orElseThrow().boots()).hasSize(1);
    }

    @Test
    void aDeclineFailsTheBootAndDropsTheAddress() {
        dora();
        tracker.dhcpEvent(MacAddress.parse(MAC), DHCPDECLINE, false, Optional.of(IP));

        VmTimeline vm = tracker.of(MAC).orElseThrow();
        assertThat(vm.phase()).isEqualTo(BootPhase.FAILED);
        assertThat(vm.ip()).isEmpty();
    }

    @Test
    void bootsAndEventsAreBounded() {
        for (int boot = 0; boot < FleetTracker.KEPT_BOOTS + 3; boot++) {
            dora();
            crawlAndFinish("SUCCESS");
        }
        for (int renew = 0; renew < FleetTracker.EVENTS_PER_BOOT; renew++) {
            tracker.dhcpEvent(MacAddress.parse(MAC), DHCPREQUEST, false, Optional.of(IP));
        }

        VmTimeline vm = tracker.of(MAC).orElseThrow();
        assertThat(vm.boots()).hasSize(FleetTracker.KEPT_BOOTS);
        assertThat(vm.currentBoot().number()).isEqualTo(FleetTracker.KEPT_BOOTS + 3);
        assertThat(vm.currentBoot().events()).hasSize(FleetTracker.EVENTS_PER_BOOT);
        assertThat(vm.currentBoot().started()).isEqualTo(CLOCK.instant());
    }

    @Test
    void failedRequestsAreKeptForTheFirstDistinctPathsOnly() {
        dora();
        tracker.served(instance(), Flavour.EC2, "/nocloudmeta-data", 404);
        for (int retry = 0; retry < 10; retry++) {
            tracker.served(instance(), Flavour.EC2, "/nocloudmeta-data", 404);
        }
        tracker.served(instance(), Flavour.EC2, "/latest/meta-data/instance-id", 200);
        for (int n = 0; n < FleetTracker.FAILED_PATHS_PER_BOOT + 5; n++) {
            tracker.served(instance(), Flavour.EC2, "/latest/meta-data/missing-" + n, 500);
        }

        List<BootEvent> errors = tracker.of(MAC).orElseThrow().currentBoot().events().stream()
            .filter(e -> e.kind() == BootEvent.Kind.METADATA_ERROR).toList();
        assertThat(errors).hasSize(FleetTracker.FAILED_PATHS_PER_BOOT);
        assertThat(errors.get(0).detail()).isEqualTo("ec2 404 /nocloudmeta-data");
        assertThat(errors.get(1).detail()).isEqualTo("ec2 500 /latest/meta-data/missing-0");
        assertThat(kinds(tracker.of(MAC).orElseThrow().currentBoot())).containsOnlyOnce(BootEvent.Kind.METADATA);
        assertThat(tracker.of(MAC).orElseThrow().phase()).isEqualTo(BootPhase.METADATA);
    }

    @Test
    void onlyTheLatestWebhookEventIsKeptButEveryFailStays() {
        dora();
        for (String name : List.of("init-network", "modules-config/config-runcmd", "modules-final/config-scripts-user")) {
            tracker.bootReport(instance(), new BootReport(BootReport.Kind.EVENT, name, "start", Optional.empty(),
                Map.of()));
        }
        tracker.bootReport(instance(), new BootReport(BootReport.Kind.EVENT, "modules-final/config-scripts-user",
            "finish", Optional.of("FAIL"), Map.of()));
        tracker.bootReport(instance(), new BootReport(BootReport.Kind.EVENT, "modules-final/config-phone-home",
            "start", Optional.empty(), Map.of()));

        List<String> reports = tracker.of(MAC).orElseThrow().currentBoot().events().stream()
            .filter(e -> e.kind() == BootEvent.Kind.REPORT).map(BootEvent::detail).toList();
        assertThat(reports).containsExactly("modules-final/config-scripts-user finish FAIL",
            "modules-final/config-phone-home start");
        assertThat(tracker.of(MAC).orElseThrow().phase()).isEqualTo(BootPhase.LEASED);
    }

    @Test
    void failedRequestsAndTheLatestReportComeBackAfterARestart() throws Exception {
        dora();
        tracker.served(instance(), Flavour.NOCLOUD, "/nocloud/meta-data", 404);
        tracker.bootReport(instance(), new BootReport(BootReport.Kind.EVENT, "init-network", "start",
            Optional.empty(), Map.of()));
        tracker.bootReport(instance(), new BootReport(BootReport.Kind.EVENT, "modules-config", "start",
            Optional.empty(), Map.of()));
        List<BootEvent> before = tracker.of(MAC).orElseThrow().currentBoot().events();
        tracker.close();

        tracker = tracker();
        tracker.served(instance(), Flavour.NOCLOUD, "/nocloud/meta-data", 404);

        // OFFER and REQUEST are shown while running but not journaled.
        assertThat(before).extracting(BootEvent::kind).contains(BootEvent.Kind.OFFER, BootEvent.Kind.REQUEST);
        assertThat(tracker.of(MAC).orElseThrow().currentBoot().events()).isEqualTo(before.stream()
            .filter(e -> e.kind() != BootEvent.Kind.OFFER && e.kind() != BootEvent.Kind.REQUEST).toList());
    }

    @Test
    void aRestartReplaysTheJournalSkippingADamagedLine() throws Exception {
        dora();
        crawlAndFinish("SUCCESS");
        dora();
        tracker.close();
        Files.writeString(stateDir.resolve(FleetJournal.FILE_NAME), "{not json\n", StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.APPEND);

        tracker = tracker();

        VmTimeline vm = tracker.of(MAC).orElseThrow();
        assertThat(vm.boots()).extracting(VmBoot::number).containsExactly(1, 2);
        assertThat(vm.boots().get(0).phase()).isEqualTo(BootPhase.FINISHED);
        assertThat(vm.hostname()).isEqualTo("waf-17");
        assertThat(vm.ip()).contains("192.0.2.17");
        assertThat(tracker.all()).hasSize(1);
    }

    @Test
    void theJournalIsWrittenWhileRunning() {
        dora();

        // DISCOVER and ACK; the OFFER and REQUEST between them are kept in memory only.
        await().atMost(Duration.ofSeconds(10)).until(() ->
            Files.readAllLines(stateDir.resolve(FleetJournal.FILE_NAME)).size() == 2);
    }

    @Test
    void dhcpMessagesBeyondTheQueueAreDroppedAndCounted() throws Exception {
        tracker.close();
        FleetTracker unstarted = new FleetTracker(stateDir, mac -> FleetTracker.Label.UNKNOWN, CLOCK);
        // Not started: nothing applies the queue, so it fills.
        for (int i = 0; i <= FleetTracker.HEARD_LIMIT; i++) {
            unstarted.dhcpEvent(MacAddress.parse("02:00:00:00:00:17"), DHCPDISCOVER, false,
                Optional.empty());
        }

        assertThat(unstarted.droppedDhcpEvents()).isEqualTo(1);
        assertThat(unstarted.of(MAC)).isPresent();
    }

    private static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
