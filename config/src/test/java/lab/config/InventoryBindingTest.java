package lab.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import lab.config.model.ApplianceConfig;
import lab.config.model.Datasource;
import lab.config.model.DeviceProfile;
import lab.config.model.ImdsTokens;
import lab.config.model.TemplateText;
import lab.config.model.VmRecord;
import org.junit.jupiter.api.Test;

/** The bundled example's metadata, profiles, VMs and admin sections bind to the values written there. */
class InventoryBindingTest {

    private final ApplianceConfig config = load();

    private static ApplianceConfig load() {
        try {
            return new ConfigLoader().load(Path.of(System.getProperty("basedir", "."), "examples", "appliance.yaml"));
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void bindsProfilesWithTemplatesAndTheirPositions() {
        DeviceProfile waf = config.profiles().get(0);
        assertThat(waf.name()).isEqualTo("waf");
        assertThat(waf.macPrefix()).contains("02:00:00:aa");
        // The example leaves tokens optional on purpose: lab VMs (non-AWS SMBIOS) never ask for one.
        assertThat(waf.imdsTokens()).isEmpty();
        assertThat(waf.meta()).containsEntry("role", "edge");
        TemplateText userData = waf.userData().orElseThrow();
        assertThat(userData.text()).startsWith("#cloud-config\nhostname: {{ hostname }}\n");
        assertThat(userData.line()).isEqualTo(63);
        assertThat(userData.column()).isEqualTo(7);
        assertThat(userData.problemAt(2, 11, userData.path(), "x").line()).isEqualTo(64);
        assertThat(waf.vendorData().orElseThrow().file()).isEqualTo("profiles/waf-vendor.yaml");
        assertThat(waf.vendorData().orElseThrow().text()).contains("timezone: UTC");
    }

    @Test
    void bindsVmsAndMakesTheirAddressesReservations() {
        VmRecord vm = config.vms().get(0);
        assertThat(vm.interfaces()).hasSize(1);
        assertThat(vm.password()).contains("Lab-Passw0rd-1");
        assertThat(vm.toString()).doesNotContain("Lab-Passw0rd-1");
        assertThat(config.allReservations()).extracting(r -> r.ip().getHostAddress())
                .containsExactly("10.20.0.11", "10.30.0.11", "10.20.0.12", "10.20.0.13");
        assertThat(config.metadata().defaultProfile()).contains("waf");
        assertThat(config.admin().listen().getPort()).isEqualTo(8807);
    }

    @Test
    void problemOnTheFirstTemplateLineIsShiftedByTheStartColumn() {
        TemplateText text = new TemplateText("a {{ b", "f.yaml", 10, 12, "vms[0].user-data");
        assertThat(text.problemAt(1, 3, "vms[0].user-data", "bad").toString())
                .isEqualTo("f.yaml:10:14: vms[0].user-data: bad");
        assertThat(text.problemAt(3, 3, "vms[0].user-data", "bad").line()).isEqualTo(12);
    }

    @Test
    void aProfileMayRequireImdsTokens() throws ConfigException {
        String yaml = """
                network: {interface: lab0, address: 192.0.2.1/24}
                dhcp: {pools: [192.0.2.100-192.0.2.199], lease-time: 1h}
                profiles:
                  aws-like:
                    imds-tokens: required
                """;
        DeviceProfile profile = new ConfigLoader().load("t.yaml", yaml).profiles().get(0);
        assertThat(profile.imdsTokens()).contains(ImdsTokens.REQUIRED);
    }

    @Test
    void aProfileMayNameItsDatasource() throws ConfigException {
        String yaml = """
                network: {interface: lab0, address: 192.0.2.1/24}
                dhcp: {pools: [192.0.2.100-192.0.2.199], lease-time: 1h}
                profiles:
                  aws-like: {datasource: ec2-aws}
                  plain: {}
                """;
        ApplianceConfig loaded = new ConfigLoader().load("t.yaml", yaml);
        assertThat(loaded.profiles().get(0).datasource()).contains(Datasource.EC2_AWS);
        assertThat(loaded.profiles().get(1).datasource()).isEmpty();
    }
}
