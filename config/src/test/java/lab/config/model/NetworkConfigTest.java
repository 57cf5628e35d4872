package lab.config.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkConfigTest {

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        "10.20.0.1,16,255.255.0.0,10.20.0.0,10.20.255.255",
        "192.0.2.77,24,255.255.255.0,192.0.2.0,192.0.2.255",
        "198.51.100.6,30,255.255.255.252,198.51.100.4,198.51.100.7",
        "10.0.0.1,1,128.0.0.0,0.0.0.0,127.255.255.255"})
    void derivesTheSubnet(String address, int prefix, String mask, String network, String broadcast)
            throws UnknownHostException {
        NetworkConfig config = network(address, prefix);

        assertThat(config.subnetMask()).isEqualTo(ip(mask));
        assertThat(config.networkAddress()).isEqualTo(ip(network));
        assertThat(config.broadcastAddress()).isEqualTo(ip(broadcast));
        assertThat(config.subnet()).isEqualTo(network + "/" + prefix);
    }

    @ParameterizedTest(name = "{0} in subnet: {1}, host: {2}")
    @CsvSource({
        "10.20.0.0,true,false", "10.20.0.1,true,true", "10.20.128.7,true,true", "10.20.255.255,true,false",
        "10.19.255.255,false,false", "10.21.0.0,false,false"})
    void tellsSubnetMembers(String candidate, boolean inSubnet, boolean host) throws UnknownHostException {
        NetworkConfig config = network("10.20.0.1", 16);

        assertThat(config.inSubnet(ip(candidate))).isEqualTo(inSubnet);
        assertThat(config.isHostInSubnet(ip(candidate))).isEqualTo(host);
    }

    private static NetworkConfig network(String address, int prefix) throws UnknownHostException {
        return new NetworkConfig("lab0", ip(address), prefix, Optional.empty(), List.of(), Optional.empty(),
                List.of(), OptionalInt.empty());
    }

    // Literal addresses only: getByName does no lookup for them.
    private static Inet4Address ip(String literal) throws UnknownHostException {
        return (Inet4Address) InetAddress.getByName(literal);
    }
}
