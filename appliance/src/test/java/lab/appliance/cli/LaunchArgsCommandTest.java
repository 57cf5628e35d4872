package lab.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class LaunchArgsCommandTest {

    private static final String SEED = "ds=nocloud-net;s=http://192.0.2.1/nocloud/";
    private static final Pattern EC2_UUID =
            Pattern.compile("uuid=(ec2[0-9a-f]{5}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

    @TempDir
    Path dir;

    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("appliance.yaml");
        Files.writeString(config, """
                network: {interface: lab0, address: 192.0.2.1/24}
                dhcp: {pools: [192.0.2.100-192.0.2.199], lease-time: 1h}
                metadata: {default-profile: plain}
                profiles:
                  cs: {datasource: cloudstack, match: {mac-prefix: "02:00:00:cc"}}
                  aws: {datasource: ec2-aws}
                  nc: {datasource: nocloud}
                  plain: {}
                vms:
                  - mac: 02:00:00:00:00:01
                    profile: aws
                  - mac: 02:00:00:00:00:02
                """);
    }

    private int run(String... args) {
        CommandLine cli = ApplianceCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = Stream.concat(Stream.of("launch-args", "--config", config.toString()), Stream.of(args))
                .toArray(String[]::new);
        return cli.execute(all);
    }

    private List<String> optionLines() {
        return out.toString().lines().filter(l -> !l.startsWith("#")).toList();
    }

    static Stream<Arguments> everyDatasourceAndHypervisor() {
        return Stream.of(
                Arguments.of("cloudstack", "qemu", List.of("-smbios 'type=1,product=CloudStack KVM Hypervisor'")),
                Arguments.of("openstack", "qemu", List.of("-smbios 'type=1,product=OpenStack Nova'")),
                Arguments.of("nocloud", "qemu", List.of("-smbios 'type=1,serial=" + SEED + "'")),
                Arguments.of("nocloud-cmdline", "qemu", List.of("-append '" + SEED + "'")),
                Arguments.of("ec2", "qemu", List.of("-append 'ci.ds=Ec2'")),
                Arguments.of("cloudstack", "libvirt", List.of("<os>", "  <smbios mode='sysinfo'/>", "</os>",
                        "<sysinfo type='smbios'>", "  <system>",
                        "    <entry name='product'>CloudStack KVM Hypervisor</entry>", "  </system>", "</sysinfo>")),
                Arguments.of("openstack", "libvirt", List.of("<os>", "  <smbios mode='sysinfo'/>", "</os>",
                        "<sysinfo type='smbios'>", "  <system>", "    <entry name='product'>OpenStack Nova</entry>",
                        "  </system>", "</sysinfo>")),
                Arguments.of("nocloud", "libvirt", List.of("<os>", "  <smbios mode='sysinfo'/>", "</os>",
                        "<sysinfo type='smbios'>", "  <system>", "    <entry name='serial'>" + SEED + "</entry>",
                        "  </system>", "</sysinfo>")),
                Arguments.of("nocloud-cmdline", "libvirt", List.of("<os>", "  <cmdline>" + SEED + "</cmdline>",
                        "</os>")),
                Arguments.of("ec2", "libvirt", List.of("<os>", "  <cmdline>ci.ds=Ec2</cmdline>", "</os>")),
                Arguments.of("cloudstack", "proxmox", List.of("smbios1: base64=1,product="
                        + base64("CloudStack KVM Hypervisor"))),
                Arguments.of("openstack", "proxmox", List.of("smbios1: base64=1,product=" + base64("OpenStack Nova"))),
                Arguments.of("nocloud", "proxmox", List.of("smbios1: base64=1,serial=" + base64(SEED))),
                Arguments.of("nocloud-cmdline", "proxmox", List.of()),
                Arguments.of("ec2", "proxmox", List.of()),
                Arguments.of("cloudstack", "vmware", List.of()),
                Arguments.of("openstack", "vmware", List.of()),
                Arguments.of("nocloud", "vmware", List.of()),
                Arguments.of("nocloud-cmdline", "vmware", List.of()),
                Arguments.of("ec2", "vmware", List.of()),
                Arguments.of("ec2-aws", "vmware", List.of()));
    }

    @ParameterizedTest(name = "{0} for {1}")
    @MethodSource("everyDatasourceAndHypervisor")
    void printsWhatTheHypervisorNeeds(String datasource, String hypervisor, List<String> expected) {
        assertThat(run("plain", "--datasource", datasource, "--for", hypervisor)).isZero();
        assertThat(optionLines()).containsExactlyElementsOf(expected);
        assertThat(out.toString()).contains("# profile plain: datasource " + datasource)
                .contains("notfound=disabled");
    }

    @Test
    void kernelWordsComeWithTheDirectBootCaveat() {
        run("plain", "--datasource", "ec2", "--for", "qemu");
        List<String> lines = out.toString().lines().toList();
        int append = lines.indexOf("-append 'ci.ds=Ec2'");
        assertThat(lines.get(append - 1)).startsWith("#").contains("-kernel").contains("GRUB_CMDLINE_LINUX");
    }

    @Test
    void proxmoxAndVmwareNameTheAlternativeWhereTheyCannotSetIt() {
        run("plain", "--datasource", "nocloud-cmdline", "--for", "proxmox");
        assertThat(out.toString()).contains("kernel command line").contains(SEED).contains("-append '" + SEED + "'");
        out.getBuffer().setLength(0);
        run("plain", "--datasource", "cloudstack", "--for", "vmware");
        assertThat(out.toString()).contains("cannot set the SMBIOS product").contains("ci.ds=CloudStack")
                .contains("datasource_list: [ CloudStack, None ]");
        out.getBuffer().setLength(0);
        run("plain", "--datasource", "ec2-aws", "--for", "vmware");
        assertThat(out.toString()).contains("cannot make a VM look like AWS").contains("ci.ds=Ec2");
    }

    @Test
    void aMacTargetGetsItsRecordsProfileAndAStableEc2Uuid() {
        assertThat(run("02:00:00:00:00:01", "--for", "qemu")).isZero();
        String first = out.toString();
        assertThat(first).contains("# 02:00:00:00:00:01 (vms[0], profile aws): datasource ec2-aws");
        String uuid = ec2Uuid(first);
        assertThat(optionLines()).containsExactly(
                "-smbios 'type=1,manufacturer=Amazon EC2,uuid=" + uuid + ",serial=" + uuid + "'");
        assertThat(UUID.fromString(uuid).toString()).isEqualTo(uuid);

        out.getBuffer().setLength(0);
        run("02:00:00:00:00:01".toUpperCase(), "--for", "qemu");
        assertThat(ec2Uuid(out.toString())).isEqualTo(uuid);

        out.getBuffer().setLength(0);
        run("02:00:00:00:00:03", "--datasource", "ec2-aws", "--for", "qemu");
        assertThat(ec2Uuid(out.toString())).isNotEqualTo(uuid);
        assertThat(out.toString()).doesNotContain("random");
    }

    @Test
    void aProfileTargetGetsARandomEc2UuidAndSaysEveryVmNeedsItsOwn() {
        run("aws", "--for", "libvirt");
        String uuid = ec2Uuid(out.toString().replace("<entry name='uuid'>", "uuid="));
        assertThat(out.toString()).contains("every VM needs its own").contains("<uuid>" + uuid + "</uuid>")
                .contains("<entry name='serial'>" + uuid + "</entry>");
        out.getBuffer().setLength(0);
        run("aws", "--for", "proxmox");
        assertThat(out.toString()).containsPattern("smbios1: base64=1,manufacturer=" + base64("Amazon EC2")
                + ",uuid=ec2[-0-9a-f]{33},serial=[A-Za-z0-9+/=]+\n");
    }

    @Test
    void anUnlistedMacFallsToItsMacPrefixProfileThenTheDefault() {
        assertThat(run("02:00:00:cc:12:34", "--for", "qemu")).isZero();
        assertThat(out.toString()).contains("# 02:00:00:cc:12:34 (profile cs by mac-prefix 02:00:00:cc)")
                .contains("CloudStack KVM Hypervisor");

        out.getBuffer().setLength(0);
        assertThat(run("02:00:00:00:00:02", "--datasource", "nocloud", "--for", "qemu")).isZero();
        assertThat(out.toString()).contains("(profile plain as metadata.default-profile)");
    }

    @Test
    void withoutADatasourceItSaysBothWaysToGiveOne() {
        assertThat(run("plain", "--for", "qemu")).isEqualTo(2);
        assertThat(err.toString()).contains("no datasource for profile plain").contains("--datasource")
                .contains("datasource: on profile plain");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void badTargetsAndWordsAreClearErrors() {
        assertThat(run("02:00:00:zz:00:01", "--for", "qemu")).isEqualTo(2);
        assertThat(err.toString()).contains("\"02:00:00:zz:00:01\" is not a MAC address");
        err.getBuffer().setLength(0);
        assertThat(run("ghost", "--for", "qemu")).isEqualTo(2);
        assertThat(err.toString()).contains("\"ghost\" is neither a MAC address")
                .contains("one of: cs, aws, nc, plain");
        err.getBuffer().setLength(0);
        assertThat(run("plain", "--datasource", "nocloud-net", "--for", "qemu")).isEqualTo(2);
        assertThat(err.toString()).contains("\"nocloud-net\" is not a datasource");
        err.getBuffer().setLength(0);
        assertThat(run("plain", "--datasource", "ec2", "--for", "xen")).isEqualTo(2);
        assertThat(err.toString()).contains("\"xen\" is not a hypervisor");
    }

    @Test
    void theLinkLocalWarningShowsWhenTheDatasourceNeedsIt() throws Exception {
        Files.writeString(config, Files.readString(config).replace("metadata: {", "metadata: {link-local: false, "));
        run("plain", "--datasource", "openstack", "--for", "qemu");
        assertThat(out.toString()).contains("metadata.link-local is false");
    }

    private static String ec2Uuid(String text) {
        Matcher m = EC2_UUID.matcher(text);
        assertThat(m.find()).as("an ec2 uuid in %s", text).isTrue();
        return m.group(1);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
