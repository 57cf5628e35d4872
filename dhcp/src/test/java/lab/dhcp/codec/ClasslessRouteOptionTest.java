package lab.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClasslessRouteOptionTest {

    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "{0}/{1} via {2} -> {3}")
    @CsvSource({
            // RFC 3442 §3 table of subnet numbers and their significant octets
            "0.0.0.0,        0,  10.0.0.1,  000a000001",
            "10.0.0.0,       8,  10.0.0.1,  080a0a000001",
            "10.17.0.0,      16, 10.0.0.1,  100a110a000001",
            "10.27.129.0,    24, 10.0.0.1,  180a1b810a000001",
            "10.229.0.128,   25, 10.0.0.1,  190ae500800a000001",
            "10.198.122.47,  32, 10.0.0.1,  200ac67a2f0a000001",
            "192.0.2.0,      24, 0.0.0.0,   18c0000200000000",
    })
    void encodesOneRouteWithOnlyItsSignificantOctets(String destination, int width, String router, String hex) {
        byte[] encoded = ClasslessRouteOption.encode(List.of(route(destination, width, router)));

        assertThat(HEX.formatHex(encoded)).isEqualTo(hex);
        assertThat(ClasslessRouteOption.decode(encoded)).containsExactly(route(destination, width, router));
    }

    @Test
    void encodesTheMetadataRouteFollowedByTheDefaultRoute() {
        List<ClasslessRoute> routes = List.of(
                route("169.254.169.254", 32, "10.20.0.1"),
                route("0.0.0.0", 0, "10.20.0.1"));

        byte[] encoded = ClasslessRouteOption.encode(routes);

        assertThat(HEX.formatHex(encoded)).isEqualTo("20a9fea9fe0a140001000a140001");
        assertThat(ClasslessRouteOption.decode(encoded)).isEqualTo(routes);
    }

    @Test
    void clearsHostBitsBeyondThePrefix() {
        byte[] encoded = ClasslessRouteOption.encode(List.of(route("10.229.0.255", 25, "10.0.0.1")));

        assertThat(HEX.formatHex(encoded)).isEqualTo("190ae500800a000001");
    }

    @Test
    void rejectsAnEmptyRouteList() {
        assertThatThrownBy(() -> ClasslessRouteOption.encode(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one route");
    }

    @Test
    void rejectsRoutesThatDoNotFitOneOption() {
        List<ClasslessRoute> routes = new ArrayList<>();
        for (int i = 0; i < 29; i++) {   // 29 host routes of 9 bytes = 261 bytes
            routes.add(route("198.51.100." + i, 32, "192.0.2.1"));
        }

        assertThatThrownBy(() -> ClasslessRouteOption.encode(routes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("29 routes needs 261 bytes");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "'',                 option 121 is empty",
            "210a000001,         route 0 at offset 0: prefix length 33 exceeds 32",
            "180a1b81,           route 0 at offset 0: needs 8 bytes but only 4 remain",
            "000a000001180a1b,   route 1 at offset 5: needs 8 bytes but only 3 remain",
            "190ae500ff0a000001, route 0 at offset 0: destination has bits set beyond /25",
    })
    void rejectsMalformedValuesNamingRouteAndOffset(String hex, String problem) {
        byte[] value = HEX.parseHex(hex);

        assertThatThrownBy(() -> ClasslessRouteOption.decode(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem);
    }

    static ClasslessRoute route(String destination, int width, String router) {
        return new ClasslessRoute(inet4(destination), width, inet4(router));
    }

    static Inet4Address inet4(String address) {
        try {
            return (Inet4Address) InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
