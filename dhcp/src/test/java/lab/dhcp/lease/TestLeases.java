package lab.dhcp.lease;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import lab.dhcp.MacAddress;

/** Lease records for tests: address n of 192.0.2.0/24 (then 198.51.100.0/24, 203.0.113.0/24) and MAC 02:00:00:00:xx:yy. */
final class TestLeases {

    static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    private TestLeases() {
    }

    static Inet4Address ip(int n) {
        int[] nets = {192 << 16 | 0 << 8 | 2, 198 << 16 | 51 << 8 | 100, 203 << 16 | 0 << 8 | 113};
        int net = nets[n / 256];
        byte[] b = {(byte) (net >> 16), (byte) (net >> 8), (byte) net, (byte) (n % 256)};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static MacAddress mac(int n) {
        return new MacAddress(0x02_00_00_00_00_00L | n);
    }

    static Lease active(int ipN, int macN, Duration leaseTime) {
        return new Lease(ip(ipN), mac(macN), "01" + mac(macN).toString().replace(":", ""), "vm" + macN, "waf",
                T0, T0.plus(leaseTime), LeaseState.ACTIVE);
    }

    static Lease active(int n) {
        return active(n, n, Duration.ofHours(1));
    }
}
