package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import lab.config.ConfigLoader;
import lab.config.model.ApplianceConfig;
import lab.config.model.Datasource;
import lab.dhcp.codec.ClasslessRouteOption;
import lab.dhcp.engine.DhcpSettings;
import lab.dhcp.engine.Subnet;
import lab.dhcp.engine.UnknownClientLimits;
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
    void unknownClientLimitsComeFromTheDhcpSectionWithTheShareDefaultedByWhatTheConfigKnows() throws Exception {
        ConfigLoader loader = new ConfigLoader();
        ApplianceConfig strangersOnly = loader.load("t.yaml", BASE.formatted(""));
        ApplianceConfig withAVm = loader.load("t.yaml", BASE.formatted("") + "vms: [{mac: 02:00:00:00:01:01}]\n");
        ApplianceConfig configured = loader.load("t.yaml", BASE.formatted("").replace("lease-time: 2h",
                "lease-time: 2h\n  unknown-clients: {pool-share: 10%, rate-limit: 5}"));

        assertThat(ConfigTranslator.unknownClientLimits(strangersOnly)).isEqualTo(new UnknownClientLimits(100, 100));
        assertThat(ConfigTranslator.unknownClientLimits(withAVm)).isEqualTo(new UnknownClientLimits(100, 50));
        assertThat(ConfigTranslator.unknownClientLimits(configured)).isEqualTo(new UnknownClientLimits(5, 10));
    }

    @Test
    void withoutARouterOnlyTheMetadataRouteIsSent() throws Exception {
        ApplianceConfig config = new ConfigLoader().load("t.yaml", BASE.formatted(""));
        assertThat(ConfigTranslator.dhcpSettings(config).classlessRoutes()).hasSize(1);
        assertThat(ConfigTranslator.pools(config)).singleElement().hasToString("10.20.1.1-10.20.1.200");
    }

    @Test
    void relayedSubnetRoutesTheMetadataAddressThroughItsRouterAndTakesItsLeaseTime() throws Exception {
        ApplianceConfig config = new ConfigLoader().load("t.yaml", BASE.formatted("") + """
                subnets:
                  - subnet: 10.30.0.0/24
                    router: 10.30.0.1
                    pools: [10.30.0.100-10.30.0.199]
                    dns: [10.20.0.1]
                    lease-time: 10m
                  - subnet: 10.31.0.0/24
                    router: 10.31.0.1
                    pools: [10.31.0.100-10.31.0.199]
                """);

        List<Subnet> subnets = ConfigTranslator.relayedSubnets(config);

        assertThat(subnets).hasSize(2);
        Subnet rackB = subnets.get(0);
        assertThat(rackB).hasToString("10.30.0.0/24");
        assertThat(rackB.router().orElseThrow().getHostAddress()).isEqualTo("10.30.0.1");
        // 169.254.169.254/32 via 10.30.0.1, then 0.0.0.0/0 via 10.30.0.1 (RFC 3442).
        assertThat(HexFormat.of().formatHex(ClasslessRouteOption.encode(rackB.classlessRoutes())))
                .isEqualTo("20a9fea9fe0a1e0001" + "000a1e0001");
        assertThat(rackB.leaseTime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(rackB.renewTime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(subnets.get(1).leaseTime()).as("dhcp.lease-time").isEqualTo(Duration.ofHours(2));
        assertThat(subnets.get(1).renewTime()).isEqualTo(Duration.ofHours(1));
        assertThat(ConfigTranslator.pools(config)).singleElement().hasToString("10.20.1.1-10.20.1.200");
        assertThat(ConfigTranslator.allPools(config)).extracting(Object::toString)
                .containsExactly("10.20.1.1-10.20.1.200", "10.30.0.100-10.30.0.199", "10.31.0.100-10.31.0.199");
    }

    @ParameterizedTest
    @CsvSource({"CLOUDSTACK, CLOUDSTACK", "EC2, EC2", "EC2_AWS, EC2", "OPENSTACK, OPENSTACK", "NOCLOUD, NOCLOUD",
        "NOCLOUD_CMDLINE, NOCLOUD"})
    void eachDatasourceAsksForItsFlavour(Datasource datasource, Flavour flavour) {
        assertThat(ConfigTranslator.flavour(datasource)).isEqualTo(flavour);
    }
}
