package lab.dhcp.engine;

import static lab.dhcp.engine.EngineFixture.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.dhcp4java.DHCPConstants.DHCPACK;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import lab.dhcp.alloc.AddressPool;
import lab.dhcp.codec.DhcpReply;
import org.junit.jupiter.api.Test;

/**
 * A reload that shrinks the pools: a new engine on the same lease table. A lease whose address left every pool stays
 * valid until it expires (its renewals are ACKed with what is left, never extended), and the address is not handed
 * out again.
 */
class PoolChangeTest extends EngineExchangeTest {

    @Test
    void aLeaseOutsideTheNewPoolsIsRenewedOnlyUntilItExpires() throws Exception {
        TestDhcpClient client = fx.client(1);
        Inet4Address old = (Inet4Address) client.dora().orElseThrow().packet().getYiaddr();
        Instant expires = fx.leases.activeByIp(old).orElseThrow().expires();
        DhcpEngine reloaded = new DhcpEngine(fx.settings, List.of(new AddressPool(ip("192.0.2.200"), ip("192.0.2.209"))),
                fx.leases, fx.offers, HostCatalog.empty(), DhcpEventListener.NONE, fx.clock);
        fx.clock.advance(Duration.ofMinutes(40));

        DhcpReply ack = new TestDhcpClient(reloaded, client.mac()).requestInitReboot(old).orElseThrow();

        assertThat(ack.packet().getDHCPMessageType()).isEqualTo(DHCPACK);
        assertThat(ack.packet().getYiaddr()).isEqualTo(old);
        assertThat(ack.packet().getOptionAsInteger((byte) 51)).isEqualTo(20 * 60);
        assertThat(fx.leases.activeByIp(old).orElseThrow().expires()).as("not extended").isEqualTo(expires);
        assertThat(new TestDhcpClient(reloaded, fx.client(2).mac()).discover().orElseThrow().packet().getYiaddr())
                .isEqualTo(ip("192.0.2.200"));
    }
}
