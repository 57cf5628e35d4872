package lab.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import lab.config.model.ApplianceConfig;
import lab.config.model.UnknownClientsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnknownClientsSectionTest {

    private static final String BASE = """
            network: {interface: lab0, address: 10.20.0.1/16}
            dhcp:
              pools: [10.20.1.1-10.20.3.254]
              lease-time: 1h
            %s
            """;

    private final ConfigLoader loader = new ConfigLoader();

    private ApplianceConfig load(String rest) throws ConfigException {
        return loader.load("appliance.yaml", BASE.formatted(rest));
    }

    @Test
    void withoutTheSectionStrangersArePacedAndUncappedWhenTheConfigKnowsNoClient() throws ConfigException {
        ApplianceConfig config = load("");

        assertThat(config.dhcp().unknownClients()).isEqualTo(UnknownClientsConfig.DEFAULTS);
        assertThat(config.dhcp().unknownClients().rateLimit()).isEqualTo(100);
        assertThat(config.knowsSomeClients()).isFalse();
        assertThat(config.unknownClientPoolShare()).as("every client is a stranger: a cap protects nobody")
                .isEqualTo(100);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "a reservation|\"  reservations: [{mac: 02:00:00:00:01:01, ip: 10.20.0.11}]\"",
        "a VM record|vms: [{mac: 02:00:00:00:01:02}]",
        "a profile matching a MAC prefix|profiles: {waf: {match: {mac-prefix: '02:00:00:aa'}}}",
        "a profile matching a vendor class|profiles: {waf: {match: {vendor-class: 'waf-'}}}"})
    void strangersGetHalfThePoolsOnceTheConfigKnowsSomeClient(String what, String yaml) throws ConfigException {
        ApplianceConfig config = load(yaml);

        assertThat(config.knowsSomeClients()).as(what).isTrue();
        assertThat(config.unknownClientPoolShare()).isEqualTo(50);
    }

    @Test
    void aDefaultProfileAloneKnowsNoClient() throws ConfigException {
        ApplianceConfig config = load("""
                profiles: {generic: {hostname: "vm-{{ seq }}"}}
                metadata: {default-profile: generic}
                """);

        assertThat(config.knowsSomeClients()).isFalse();
        assertThat(config.unknownClientPoolShare()).isEqualTo(100);
    }

    @ParameterizedTest(name = "pool-share {0}, rate-limit {1}")
    @CsvSource({"0%,0,0", "100%,20,100", "35%,1000000,35"})
    void configuredValuesWinOverTheDefaults(String share, int rate, int percent) throws ConfigException {
        ApplianceConfig config = load("""
                  unknown-clients:
                    pool-share: %s
                    rate-limit: %d
                  reservations: [{mac: 02:00:00:00:01:01, ip: 10.20.0.11}]
                """.formatted(share, rate));

        assertThat(config.dhcp().unknownClients()).isEqualTo(new UnknownClientsConfig(OptionalInt.of(percent), rate));
        assertThat(config.unknownClientPoolShare()).isEqualTo(percent);
    }

    @Test
    void aShareGivenWithoutKnownClientsStillApplies() throws ConfigException {
        ApplianceConfig config = load("  unknown-clients: {pool-share: 80%}");

        assertThat(config.unknownClientPoolShare()).isEqualTo(80);
        assertThat(config.dhcp().unknownClients().rateLimit()).isEqualTo(UnknownClientsConfig.DEFAULT_RATE_LIMIT);
    }
}
