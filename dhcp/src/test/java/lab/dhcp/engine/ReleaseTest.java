package lab.dhcp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import lab.dhcp.codec.DhcpDatagram;
import lab.dhcp.lease.LeaseState;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Test;

/** RELEASE (RFC 2131 §4.3.4): the address is free at once, and only its holder can release it. */
class ReleaseTest extends EngineExchangeTest {

    @Test
    void releaseFreesTheAddressAtOnce() {
        TestDhcpClient client = fx.client(1);
        Inet4Address ip = (Inet4Address) client.dora().orElseThrow().packet().getYiaddr();

        client.release();

        assertThat(fx.leases.activeByIp(ip)).isEmpty();
        assertThat(fx.leases.byIp(ip).orElseThrow().state()).isEqualTo(LeaseState.RELEASED);
        // Fill the rest of the pool: the released address is handed out again, to someone else.
        for (int n = 2; n <= 10; n++) {
            fx.client(n).dora().orElseThrow();
        }
        assertThat(fx.client(11).dora().orElseThrow().packet().getYiaddr()).isEqualTo(ip);
    }

    @Test
    void releaseByAnotherMacChangesNothing() {
        TestDhcpClient owner = fx.client(1);
        Inet4Address ip = (Inet4Address) owner.dora().orElseThrow().packet().getYiaddr();
        TestDhcpClient impostor = fx.client(2);
        impostor.dora().orElseThrow();

        // The impostor claims to release the owner's address.
        fx.engine.respond(releaseOf(impostor, ip), Runnable::run).toCompletableFuture().join();

        assertThat(fx.leases.activeByIp(ip).orElseThrow().mac()).isEqualTo(owner.mac());
    }

    private static DhcpDatagram releaseOf(TestDhcpClient from, Inet4Address ip) {
        DHCPPacket p = new DHCPPacket();
        p.setOp(DHCPConstants.BOOTREQUEST);
        p.setHtype(DHCPConstants.HTYPE_ETHER);
        p.setHlen((byte) 6);
        p.setChaddr(from.mac().toBytes());
        p.setDhcp(true);
        p.setDHCPMessageType(DHCPConstants.DHCPRELEASE);
        p.setCiaddr(ip);
        return new DhcpDatagram(p, new InetSocketAddress(ip, 68),
                new InetSocketAddress(EngineFixture.SERVER, 67));
    }
}
