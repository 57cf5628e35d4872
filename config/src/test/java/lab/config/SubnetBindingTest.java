package lab.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import lab.config.model.ApplianceConfig;
import lab.config.model.PoolConfig;
import lab.config.model.Reservation;
import lab.config.model.SubnetConfig;
import org.junit.jupiter.api.Test;

/** {@code subnets:} binds to one {@link SubnetConfig} per item, and a file without it has none. */
class SubnetBindingTest {

    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void bindsEachSubnetWithItsOptionsReservationsAndLeaseTime() throws Exception {
        ApplianceConfig config = loader.load(resource("config/valid/subnets.yaml"));

        assertThat(config.subnets()).hasSize(2);
        SubnetConfig rackB = config.subnets().get(0);
        assertThat(rackB.subnet()).isEqualTo("10.30.0.0/24");
        assertThat(rackB.pools()).containsExactly(new PoolConfig(ip("10.30.0.100"), ip("10.30.0.199")));
        assertThat(rackB.router()).isEqualTo(ip("10.30.0.1"));
        assertThat(rackB.dns()).containsExactly(ip("10.20.0.1"));
        assertThat(rackB.domain()).contains("rack-b.lab.internal");
        assertThat(rackB.ntp()).containsExactly(ip("10.20.0.1"));
        assertThat(rackB.mtu()).isEqualTo(OptionalInt.of(1400));
        assertThat(rackB.reservations()).containsExactly(
                new Reservation("02:00:00:00:02:01", ip("10.30.0.11"), Optional.of("rack-b-1")));
        assertThat(rackB.leaseTimeOr(config.dhcp())).isEqualTo(Duration.ofMinutes(10));
        assertThat(rackB.renewTimeOr(config.dhcp())).isEqualTo(Duration.ofMinutes(5));
        assertThat(rackB.rebindTimeOr(config.dhcp())).isEqualTo(Duration.ofSeconds(525));
    }

    @Test
    void aSubnetWithoutOptionsTakesDhcpTimesAndNothingFromTheNetwork() throws Exception {
        ApplianceConfig config = loader.load(resource("config/valid/subnets.yaml"));

        SubnetConfig second = config.subnets().get(1);
        assertThat(second.pools()).containsExactly(new PoolConfig(ip("10.31.0.1"), ip("10.31.0.126")));
        assertThat(second.dns()).isEmpty();
        assertThat(second.domain()).isEmpty();
        assertThat(second.mtu()).isEmpty();
        assertThat(second.leaseTimeOr(config.dhcp())).isEqualTo(config.dhcp().leaseTime());
        assertThat(second.renewTimeOr(config.dhcp())).isEqualTo(config.dhcp().renewTime());
        assertThat(second.rebindTimeOr(config.dhcp())).isEqualTo(config.dhcp().rebindTime());
    }

    @Test
    void subnetReservationsAreAmongAllReservationsAndAddressesFindTheirSubnet() throws Exception {
        ApplianceConfig config = loader.load(resource("config/valid/subnets.yaml"));

        assertThat(config.allReservations()).extracting(Reservation::mac)
                .containsExactly("02:00:00:00:01:01", "02:00:00:00:02:01");
        assertThat(config.subnetOf(ip("10.31.0.77"))).contains(config.subnets().get(1));
        assertThat(config.subnetOf(ip("10.20.1.5"))).as("the network's own subnet is not a relayed one").isEmpty();
    }

    @Test
    void theSingleNetworkFormHasNoSubnets() throws Exception {
        ApplianceConfig config = loader.load(resource("config/valid/minimal.yaml"));

        assertThat(config.subnets()).isEmpty();
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(SubnetBindingTest.class.getClassLoader().getResource(name).toURI());
    }

    private static Inet4Address ip(String text) throws Exception {
        return (Inet4Address) InetAddress.getByName(text);
    }
}
