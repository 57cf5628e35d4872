package lab.dhcp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import lab.dhcp.codec.DhcpReply;
import lab.dhcp.lease.LeaseState;
import org.junit.jupiter.api.Test;

/** DECLINE (RFC 2131 §4.3.3): the address is quarantined for the decline hold and offered to nobody meanwhile. */
class DeclineTest extends EngineExchangeTest {

    @Test
    void declinedAddressIsQuarantinedThenFreedAfterTheHold() throws Exception {
        TestDhcpClient client = fx.client(1);
        Inet4Address bad = (Inet4Address) client.dora().orElseThrow().packet().getYiaddr();

        client.decline(bad);

        assertThat(fx.leases.byIp(bad).orElseThrow().state()).isEqualTo(LeaseState.DECLINED);
        Set<Inet4Address> given = new HashSet<>();
        for (int n = 2; n <= 12; n++) {
            fx.client(n).dora().map(r -> (Inet4Address) r.packet().getYiaddr()).ifPresent(given::add);
        }
        assertThat(given).as("nine good addresses left, the declined one withheld").hasSize(9).doesNotContain(bad);
        assertThat(fx.client(1).discover()).as("the decliner gets no other address: the pool is full").isEmpty();

        fx.clock.advance(EngineFixture.DECLINE_HOLD.plus(Duration.ofSeconds(1)));
        fx.leases.reclaimExpired().get();

        Optional<DhcpReply> later = fx.client(13).dora();
        assertThat(later.orElseThrow().packet().getYiaddr()).isEqualTo(bad);
    }

    @Test
    void declineOfAnAddressNeverGivenToTheMacIsIgnored() {
        Inet4Address someoneElses = (Inet4Address) fx.client(1).dora().orElseThrow().packet().getYiaddr();
        TestDhcpClient stranger = fx.client(2);
        stranger.discover().orElseThrow();

        stranger.decline(someoneElses);

        assertThat(fx.leases.activeByIp(someoneElses)).isPresent();
    }
}
