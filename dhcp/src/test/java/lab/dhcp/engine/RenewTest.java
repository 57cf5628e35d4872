package lab.dhcp.engine;

import static lab.dhcp.engine.EngineFixture.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.dhcp4java.DHCPConstants.DHCPACK;
import static org.dhcp4java.DHCPConstants.DHCPNAK;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import lab.dhcp.codec.DhcpReply;
import org.junit.jupiter.api.Test;

/** RENEWING, REBINDING and INIT-REBOOT requests (RFC 2131 §4.3.2, §4.4.5). */
class RenewTest extends EngineExchangeTest {

    @Test
    void renewKeepsTheAddressExtendsTheLeaseAndUnicastsTheAck() {
        TestDhcpClient client = fx.client(1);
        Inet4Address ip = (Inet4Address) client.dora().orElseThrow().packet().getYiaddr();
        fx.clock.advance(Duration.ofMinutes(30));

        DhcpReply ack = client.renew().orElseThrow();

        assertThat(ack.packet().getDHCPMessageType()).isEqualTo(DHCPACK);
        assertThat(ack.packet().getYiaddr()).isEqualTo(ip);
        assertThat(ack.recipient()).isEqualTo(new InetSocketAddress(ip, 68));
        assertThat(fx.leases.activeByIp(ip).orElseThrow().expires())
                .isEqualTo(fx.clock.instant().plus(EngineFixture.LEASE_TIME));
    }

    @Test
    void rebindKeepsTheAddress() {
        TestDhcpClient client = fx.client(2);
        Inet4Address ip = (Inet4Address) client.dora().orElseThrow().packet().getYiaddr();
        fx.clock.advance(Duration.ofMinutes(55));

        assertThat(client.rebind().orElseThrow().packet().getYiaddr()).isEqualTo(ip);
    }

    @Test
    void initRebootGetsItsAddressBackAfterTheServerForgotNothing() {
        TestDhcpClient client = fx.client(3);
        Inet4Address ip = (Inet4Address) client.dora().orElseThrow().packet().getYiaddr();

        DhcpReply reply = fx.client(3).requestInitReboot(ip).orElseThrow();

        assertThat(reply.packet().getDHCPMessageType()).isEqualTo(DHCPACK);
        assertThat(reply.packet().getYiaddr()).isEqualTo(ip);
    }

    @Test
    void initRebootForAnAddressHeldByAnotherMacIsNaked() {
        Inet4Address taken = (Inet4Address) fx.client(4).dora().orElseThrow().packet().getYiaddr();

        DhcpReply reply = fx.client(5).requestInitReboot(taken).orElseThrow();

        assertThat(reply.packet().getDHCPMessageType()).isEqualTo(DHCPNAK);
        assertThat(reply.recipient().getAddress()).isEqualTo(ip("255.255.255.255"));
    }

    @Test
    void aMacHoldingALeaseCannotTakeMoreAddressesByInitRebootButGetsItsOwnBack() {
        TestDhcpClient client = fx.client(8);
        Inet4Address own = (Inet4Address) client.dora().orElseThrow().packet().getYiaddr();
        for (int i = 0; i < 10; i++) {
            Inet4Address other = ip("192.0.2." + (100 + i));
            if (other.equals(own)) {
                continue;
            }
            assertThat(fx.client(8).requestInitReboot(other).orElseThrow().packet().getDHCPMessageType())
                    .as("INIT-REBOOT for %s while holding %s", other, own).isEqualTo(DHCPNAK);
        }
        assertThat(fx.leases.all()).as("the MAC still holds one lease").hasSize(1);
        assertThat(fx.client(8).requestInitReboot(own).orElseThrow().packet().getDHCPMessageType())
                .isEqualTo(DHCPACK);
        assertThat(fx.client(8).dora().orElseThrow().packet().getYiaddr()).isEqualTo(own);
    }

    @Test
    void initRebootFromAnotherNetworkIsNaked() {
        DhcpReply reply = fx.client(6).requestInitReboot(ip("198.51.100.7")).orElseThrow();
        assertThat(reply.packet().getDHCPMessageType()).isEqualTo(DHCPNAK);
    }

    @Test
    void selectingAnotherServersOfferIsIgnoredAndFreesOurs() {
        TestDhcpClient client = fx.client(7);
        Inet4Address offered = (Inet4Address) client.discover().orElseThrow().packet().getYiaddr();

        assertThat(client.requestSelectingOther(offered, ip("192.0.2.254"))).isEmpty();
        assertThat(fx.offers.heldFor(client.mac())).isEmpty();
        assertThat(fx.leases.all()).isEmpty();
    }

    @Test
    void returningMacGetsItsPreviousAddressAfterExpiry() throws Exception {
        TestDhcpClient client = fx.client(8);
        Inet4Address first = (Inet4Address) client.dora().orElseThrow().packet().getYiaddr();
        fx.clock.advance(EngineFixture.LEASE_TIME.plusMinutes(5));
        fx.leases.reclaimExpired().get();
        fx.client(9).dora().orElseThrow();

        Inet4Address again = (Inet4Address) fx.client(8).dora().orElseThrow().packet().getYiaddr();

        assertThat(again).isEqualTo(first);
    }

    @Test
    void renewAfterTheServerRestartedKeepsTheAddress() throws Exception {
        TestDhcpClient client = fx.client(10);
        Inet4Address ip = (Inet4Address) client.dora().orElseThrow().packet().getYiaddr();
        fx.close();

        EngineFixture restarted = new EngineFixture(dir);
        try {
            assertThat(restarted.leases.activeByIp(ip)).isPresent();
            DhcpReply reply = restarted.client(10).requestInitReboot(ip).orElseThrow();
            assertThat(reply.packet().getDHCPMessageType()).isEqualTo(DHCPACK);
            assertThat(reply.packet().getYiaddr()).isEqualTo(ip);
            // A stranger cannot take the replayed lease.
            assertThat(restarted.client(11).requestInitReboot(ip).orElseThrow().packet().getDHCPMessageType())
                    .isEqualTo(DHCPNAK);
        } finally {
            restarted.close();
        }
    }
}
