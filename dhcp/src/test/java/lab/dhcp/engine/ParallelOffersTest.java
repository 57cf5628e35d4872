package lab.dhcp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import lab.dhcp.codec.DhcpReply;
import org.junit.jupiter.api.Test;

/** A burst of clients at once: never the same address twice, and exhaustion answered with silence. */
class ParallelOffersTest extends EngineExchangeTest {

    @Test
    void parallelDiscoversNeverShareAnAddressAndTheEleventhGetsNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<DhcpReply>>> offers = new ArrayList<>();
            for (int n = 1; n <= 11; n++) {
                TestDhcpClient client = fx.client(n);
                offers.add(pool.submit((Callable<Optional<DhcpReply>>) client::discover));
            }
            List<Inet4Address> offered = new ArrayList<>();
            int silent = 0;
            for (Future<Optional<DhcpReply>> f : offers) {
                Optional<DhcpReply> reply = f.get();
                if (reply.isPresent()) {
                    offered.add((Inet4Address) reply.get().packet().getYiaddr());
                } else {
                    silent++;
                }
            }
            assertThat(offered).hasSize(10).doesNotHaveDuplicates();
            assertThat(silent).isEqualTo(1);
            assertThat(fx.engine.poolExhaustedCount()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void parallelDorasAllCommitDistinctLeases() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<DhcpReply>>> acks = new ArrayList<>();
            for (int n = 1; n <= 10; n++) {
                TestDhcpClient client = fx.client(n);
                acks.add(pool.submit((Callable<Optional<DhcpReply>>) client::dora));
            }
            List<Inet4Address> leased = new ArrayList<>();
            for (Future<Optional<DhcpReply>> f : acks) {
                leased.add((Inet4Address) f.get().orElseThrow().packet().getYiaddr());
            }
            assertThat(leased).doesNotHaveDuplicates();
            assertThat(fx.leases.all()).hasSize(10);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anOfferThatRanOutCanGoToSomeoneElse() {
        for (int n = 1; n <= 10; n++) {
            fx.client(n).discover().orElseThrow();
        }
        assertThat(fx.client(11).discover()).isEmpty();

        fx.clock.advance(EngineFixture.OFFER_HOLD.plusSeconds(1));

        assertThat(fx.client(11).discover()).isPresent();
    }
}
