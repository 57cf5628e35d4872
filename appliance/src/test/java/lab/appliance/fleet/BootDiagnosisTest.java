package lab.appliance.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dhcp4java.DHCPConstants.DHCPACK;
import static org.dhcp4java.DHCPConstants.DHCPDECLINE;
import static org.dhcp4java.DHCPConstants.DHCPDISCOVER;
import static org.dhcp4java.DHCPConstants.DHCPOFFER;
import static org.dhcp4java.DHCPConstants.DHCPREQUEST;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import lab.dhcp.MacAddress;
import lab.dhcp.engine.MutableClock;
import lab.metadata.BootReport;
import lab.metadata.Flavour;
import lab.metadata.Instance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The doctor's rules as a table: a boot played step by step into a real tracker on a clock moved by hand, then the
 * diagnosis of its current boot. Steps: {@code dora}, {@code decline}, {@code get FLAVOUR STATUS PATH},
 * {@code report NAME TYPE [RESULT]}, {@code phone-home}, {@code wait SECONDS}.
 */
class BootDiagnosisTest {

    private static final String MAC = "02:00:00:00:00:17";
    private static final Inet4Address IP = ip("192.0.2.17");
    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path stateDir;
    private final MutableClock clock = new MutableClock(START);
    private FleetTracker tracker;

    @BeforeEach
    void start() throws Exception {
        tracker = new FleetTracker(stateDir, mac -> FleetTracker.Label.UNKNOWN, clock);
        tracker.start();
    }

    @AfterEach
    void stop() throws Exception {
        tracker.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '¦', quoteCharacter = '"', textBlock = """
        # scenario                  ¦ steps                                                                    ¦ expects  ¦ code             ¦ text
        leased, quiet 30 s          ¦ dora; wait 30                                                            ¦          ¦ none             ¦
        leased, quiet 61 s          ¦ dora; wait 61                                                            ¦          ¦ no-datasource    ¦ cloud-init never asked for metadata: no datasource was detected in the VM (ds-identify disables cloud-init when nothing identifies the platform); run `appliance launch-args 02:00:00:00:00:17 --for qemu|libvirt|proxmox|vmware` for the settings that identify it
        leased, profile's recipe    ¦ dora; wait 61                                                            ¦ CLOUDSTACK ¦ no-datasource  ¦ cloud-init never asked for metadata: no datasource was detected in the VM (ds-identify disables cloud-init when nothing identifies the platform); its profile's datasource is cloudstack: launch it with qemu's -smbios 'type=1,product=Test' (`appliance launch-args 02:00:00:00:00:17 --for libvirt|proxmox|vmware` for other hypervisors)
        no lease at all             ¦ wait 5; dhcp-discover; wait 120                                          ¦          ¦ none             ¦
        seed URL without slash      ¦ dora; get ec2 404 /nocloudmeta-data; wait 90                             ¦ NOCLOUD  ¦ metadata-errors  ¦ NoCloud asked /nocloudmeta-data → 404: the seed URL must end with '/'
        generic 404 and 500         ¦ dora; get cloudstack 200 /latest/meta-data/; get cloudstack 404 /latest/meta-data/hostname; get cloudstack 500 /latest/meta-data/local-ipv4; get cloudstack 404 /latest/meta-data/hostname; wait 90 ¦ ¦ metadata-errors ¦ CloudStack asked /latest/meta-data/hostname → 404, /latest/meta-data/local-ipv4 → 500
        the first few paths only    ¦ dora; get ec2 404 /a; get ec2 404 /b; get ec2 404 /c; get ec2 404 /d; get ec2 404 /e; wait 90 ¦  ¦ metadata-errors ¦ Ec2 asked /a → 404, /b → 404, /c → 404 (and 2 more)
        two flavours failed         ¦ dora; get openstack 404 /openstack/latest/meta_data.json; get ec2 404 /latest/meta-data/; wait 90 ¦ ¦ metadata-errors ¦ OpenStack asked /openstack/latest/meta_data.json → 404; Ec2 asked /latest/meta-data/ → 404
        no user-data is tolerated   ¦ dora; get ec2 200 /latest/meta-data/; get ec2 404 /latest/user-data; wait 90 ¦      ¦ no-finish-report ¦ cloud-init fetched metadata but never reported finishing and no boot report arrived: add phone_home or the reporting webhook to the user-data to know when it finished
        wrong flavour               ¦ dora; get ec2 200 /latest/meta-data/; get ec2 200 /latest/user-data; wait 90 ¦ NOCLOUD ¦ wrong-flavour  ¦ cloud-init asked for Ec2 metadata but the VM's profile expects NoCloud: the image or the VM's SMBIOS selects another datasource
        expected flavour asked      ¦ dora; get nocloud 200 /nocloud/meta-data; get nocloud 200 /nocloud/user-data; wait 90 ¦ NOCLOUD ¦ no-finish-report ¦ cloud-init fetched user-data but never reported finishing and no boot report arrived: add phone_home or the reporting webhook to the user-data to know when it finished
        OpenStack's EC2 crawl       ¦ dora; get openstack 200 /openstack; get ec2 200 /latest/meta-data/; wait 90 ¦ OPENSTACK ¦ no-finish-report ¦ cloud-init fetched metadata but never reported finishing and no boot report arrived: add phone_home or the reporting webhook to the user-data to know when it finished
        webhook stopped             ¦ dora; get ec2 200 /latest/user-data; report init-network start; wait 10; report modules-config/config-runcmd start; wait 300 ¦ ¦ no-finish-report ¦ cloud-init fetched user-data but never reported finishing; its last reporting-webhook event was modules-config/config-runcmd (start) at 2026-11-25T12:00:10Z
        user-data, still busy       ¦ dora; get ec2 200 /latest/user-data; wait 59                             ¦          ¦ none             ¦
        finished                    ¦ dora; get ec2 200 /latest/user-data; phone-home; wait 600                ¦          ¦ none             ¦
        failed in a module          ¦ dora; get ec2 200 /latest/user-data; report modules-final/config-scripts-user finish FAIL; report modules-final finish FAIL ¦ ¦ failed ¦ cloud-init reported FAIL in modules-final/config-scripts-user (finish, FAIL); the boot ended with modules-final FAIL
        failed, final stage only    ¦ dora; get ec2 200 /latest/user-data; report modules-final finish FAIL    ¦          ¦ failed           ¦ cloud-init reported the boot failed (modules-final FAIL)
        declined                    ¦ dora; decline                                                            ¦          ¦ failed           ¦ the VM declined 192.0.2.17 (DHCPDECLINE: another host already uses it on the lab network)
        """)
    void diagnosesTheCurrentBoot(String scenario, String steps, String expects, String code, String text) {
        for (String step : steps.split(";")) {
            play(step.trim().split(" "));
        }
        Optional<BootDiagnosis.Expected> expected = expects == null ? Optional.empty()
            : Optional.of(new BootDiagnosis.Expected(Flavour.valueOf(expects), expects.toLowerCase(Locale.ROOT),
                "-smbios 'type=1,product=Test'"));
        BootDiagnosis doctor = new BootDiagnosis(mac -> mac.equals(MAC) ? expected : Optional.empty());

        Optional<Diagnosis> diagnosis = doctor.of(tracker.of(MAC).orElseThrow(), clock.instant());

        if (code.equals("none")) {
            assertThat(diagnosis).as(scenario).isEmpty();
        } else {
            assertThat(diagnosis).as(scenario).contains(new Diagnosis(
                Diagnosis.Code.valueOf(code.toUpperCase(Locale.ROOT).replace('-', '_')), text));
        }
    }

    private void play(String[] step) {
        MacAddress mac = MacAddress.parse(MAC);
        switch (step[0]) {
            case "dora" -> {
                tracker.dhcpEvent(mac, DHCPDISCOVER, false, Optional.empty());
                tracker.dhcpEvent(mac, DHCPOFFER, true, Optional.of(IP));
                tracker.dhcpEvent(mac, DHCPREQUEST, false, Optional.of(IP));
                tracker.dhcpEvent(mac, DHCPACK, true, Optional.of(IP));
            }
            case "dhcp-discover" -> tracker.dhcpEvent(mac, DHCPDISCOVER, false, Optional.empty());
            case "decline" -> tracker.dhcpEvent(mac, DHCPDECLINE, false, Optional.of(IP));
            case "get" -> tracker.served(instance(), Flavour.valueOf(step[1].toUpperCase(Locale.ROOT)), step[3],
                Integer.parseInt(step[2]));
            case "report" -> tracker.bootReport(instance(), new BootReport(BootReport.Kind.EVENT, step[1], step[2],
                step.length > 3 ? Optional.of(step[3]) : Optional.empty(), Map.of()));
            case "phone-home" -> tracker.bootReport(instance(), new BootReport(BootReport.Kind.PHONE_HOME,
                "phone_home", "", Optional.empty(), Map.of("instance_id", "i-17")));
            case "wait" -> clock.advance(Duration.ofSeconds(Long.parseLong(step[1])));
            default -> throw new IllegalArgumentException("unknown step " + String.join(" ", step));
        }
    }

    private static Instance instance() {
        return new Instance("i-17", "waf-17", IP, 24, Optional.empty(), MAC, "waf", List.of(), Optional.empty(),
            Optional.empty(), Optional.empty(), Map.of(), List.of(), "lab", List.of(), false);
    }

    private static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
