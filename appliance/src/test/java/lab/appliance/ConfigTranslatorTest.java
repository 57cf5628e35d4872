package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import lab.config.ConfigLoader;
import lab.config.model.ApplianceConfig;
import lab.config.model.Datasource;
import lab.dhcp.codec.ClasslessRouteOption;
import lab.dhcp.engine.DhcpSettings;
import lab.metadata.Flavour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTranslatorTest {

    private static final String BASE = """
            network:
              interface: lab0
              address: 10.20.0.1/16
            %s
            dhcp:
              pools: [10.20.1.1-10.20.1.200]
              lease-time: 2h
            state-dir: /tmp/x
            """;

    @Test
    void metadataRouteAndDefaultRouteGoIntoOption121() throws Exception {
        ApplianceConfig config = new ConfigLoader().load("t.yaml", BASE.formatted("  router: 10.20.0.254"));
        DhcpSettings settings = ConfigTranslator.dhcpSettings(config);

        byte[] option = ClasslessRouteOption.encode(settings.classlessRoutes());
        // 169.254.169.254/32 via 10.20.0.1, then 0.0.0.0/0 via the router 10.20.0.254 (RFC 3442).
        assertThat(HexFormat.of().formatHex(option)).isEqualTo("20a9fea9fe0a140001" + "000a1400fe");
        assertThat(settings.leaseTime().toHours()).isEqualTo(2);
        assertThat(settings.renewTime().toMinutes()).isEqualTo(60);
        assertThat(settings.rebindTime().toMinutes()).isEqualTo(105);
    }

    @Test
    void withoutARouterOnlyTheMetadataRouteIsSent() throws Exception {
        ApplianceConfig config = new ConfigLoader().load("t.yaml", BASE.formatted(""));
        assertThat(ConfigTranslator.dhcpSettings(config).classlessRoutes()).hasSize(1);
        assertThat(ConfigTranslator.pools(config)).singleElement().hasToString("10.20.1.1-10.20.1.200");
    }

    @ParameterizedTest
    @CsvSource({"CLOUDSTACK, CLOUDSTACK", "EC2, EC2", "EC2_AWS, EC2", "OPENSTACK, OPENSTACK", "NOCLOUD, NOCLOUD",
        "NOCLOUD_CMDLINE, NOCLOUD"})
    void eachDatasourceAsksForItsFlavour(Datasource datasource, Flavour flavour) {
        assertThat(ConfigTranslator.flavour(datasource)).isEqualTo(flavour);
    }
}
