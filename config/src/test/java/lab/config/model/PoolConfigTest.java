package lab.config.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoolConfigTest {

    @Test
    void countsAndContainsBothEnds() throws UnknownHostException {
        PoolConfig pool = pool("10.20.1.1", "10.20.3.254");

        assertThat(pool.size()).isEqualTo(766);
        assertThat(pool.contains(ip("10.20.1.1"))).isTrue();
        assertThat(pool.contains(ip("10.20.3.254"))).isTrue();
        assertThat(pool.contains(ip("10.20.1.0"))).isFalse();
        assertThat(pool.contains(ip("10.20.3.255"))).isFalse();
    }

    @Test
    void handlesAddressesAboveTheSignedIntRange() throws UnknownHostException {
        PoolConfig pool = pool("200.0.0.0", "255.255.255.255");

        assertThat(pool.size()).isEqualTo(56L * 256 * 256 * 256);
        assertThat(pool.contains(ip("240.1.2.3"))).isTrue();
        assertThat(pool.contains(ip("10.0.0.1"))).isFalse();
    }

    @ParameterizedTest(name = "{0}-{1} and {2}-{3}: {4}")
    @CsvSource({
        "10.0.0.1,10.0.0.9,10.0.0.9,10.0.0.20,true",
        "10.0.0.1,10.0.0.9,10.0.0.10,10.0.0.20,false",
        "10.0.0.5,10.0.0.6,10.0.0.1,10.0.0.20,true",
        "10.0.0.30,10.0.0.40,10.0.0.1,10.0.0.20,false"})
    void overlapsIsSymmetric(String a1, String a2, String b1, String b2, boolean overlap) throws UnknownHostException {
        assertThat(pool(a1, a2).overlaps(pool(b1, b2))).isEqualTo(overlap);
        assertThat(pool(b1, b2).overlaps(pool(a1, a2))).isEqualTo(overlap);
    }

    @Test
    void refusesABackwardsRange() {
        assertThatThrownBy(() -> pool("10.0.0.9", "10.0.0.1")).isInstanceOf(IllegalArgumentException.class);
    }

    private static PoolConfig pool(String first, String last) throws UnknownHostException {
        return new PoolConfig(ip(first), ip(last));
    }

    private static Inet4Address ip(String literal) throws UnknownHostException {
        return (Inet4Address) InetAddress.getByName(literal);
    }
}
