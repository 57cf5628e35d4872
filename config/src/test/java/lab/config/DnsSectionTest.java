package lab.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import lab.config.model.ApplianceConfig;
import lab.config.model.DnsConfig;
import org.junit.jupiter.api.Test;

class DnsSectionTest {

    private static final String NETWORK = """
            network:
              interface: lab0
              address: 10.20.0.1/16
              domain: lab.internal
            %s
            dhcp:
              pools: [10.20.1.1-10.20.3.254]
              lease-time: 1h
            """;

    private final ConfigLoader loader = new ConfigLoader();

    private ApplianceConfig load(String networkExtra, String rest) throws ConfigException {
        return loader.load("appliance.yaml", NETWORK.formatted(networkExtra) + rest);
    }

    @Test
    void withoutTheSectionThereIsNoDnsServerAndNoDefaultResolver() throws ConfigException {
        ApplianceConfig config = load("", "");

        assertThat(config.dns()).isEqualTo(DnsConfig.OFF);
        assertThat(config.network().dns()).isEmpty();
    }

    @Test
    void anEmptySectionTurnsDnsOnAndMakesTheApplianceTheClientsResolver() throws Exception {
        ApplianceConfig config = load("", "dns: {}\n");

        assertThat(config.dns().enabled()).isTrue();
        assertThat(config.dns().ttl()).isEqualTo(DnsConfig.DEFAULT_TTL);
        assertThat(config.dns().rateLimit()).isEqualTo(DnsConfig.DEFAULT_RATE_LIMIT);
        assertThat(config.dns().forwarders()).isEmpty();
        assertThat(config.network().dns()).containsExactly((java.net.Inet4Address) InetAddress.getByName("10.20.0.1"));
    }

    @Test
    void resolversNamedInTheFileAreKept() throws Exception {
        ApplianceConfig config = load("  dns: [10.20.0.53]", "dns: {forwarders: [10.20.0.254], ttl: 0, rate-limit: 0}\n");

        assertThat(config.network().dns()).containsExactly((java.net.Inet4Address) InetAddress.getByName("10.20.0.53"));
        assertThat(config.dns().forwarders()).containsExactly((java.net.Inet4Address) InetAddress.getByName("10.20.0.254"));
        assertThat(config.dns().ttl()).isEqualTo(Duration.ZERO);
        assertThat(config.dns().rateLimit()).isZero();
    }

    @Test
    void aDisabledSectionNeedsNoDomainAndChangesNothing() throws ConfigException {
        ApplianceConfig config = loader.load("appliance.yaml", """
                network: {interface: lab0, address: 10.20.0.1/16}
                dhcp: {pools: [10.20.1.1-10.20.3.254], lease-time: 1h}
                dns: {enabled: false}
                """);

        assertThat(config.dns().enabled()).isFalse();
        assertThat(config.network().dns()).isEmpty();
    }
}
