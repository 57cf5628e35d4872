package lab.dhcp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import lab.dhcp.MacAddress;
import lab.dhcp.alloc.PendingOffers;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseStore;
import lab.dhcp.lease.LeaseStoreBusyException;
import lab.dhcp.lease.LeaseTable;
import lab.dhcp.server.OverloadedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the pending offers full, new clients are shed and clients already offered still finish. */
class LoadSheddingTest {

    private static final int LIMIT = 2;

    @TempDir
    Path stateDir;
    EngineFixture fx;

    @BeforeEach
    void open() throws Exception {
        fx = new EngineFixture(stateDir, DhcpEventListener.NONE, LIMIT);
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void aNewClientIsShedWhileTheOffersAreFullButOfferedClientsFinish() {
        TestDhcpClient first = fx.client(1);
        TestDhcpClient second = fx.client(2);
        TestDhcpClient third = fx.client(3);
        Inet4Address offered = (Inet4Address) first.discover().orElseThrow().packet().getYiaddr();
        second.discover().orElseThrow();

        assertThatThrownBy(third::discover).hasRootCauseInstanceOf(OverloadedException.class);
        // A retransmitted DISCOVER of a client already offered is not a new client.
        assertThat(first.discover()).isPresent();
        assertThat(first.requestSelecting(offered)).hasValueSatisfying(ack ->
                assertThat(ack.packet().getYiaddr()).isEqualTo(offered));
        // Its lease is durable, so its hold is gone and there is room again.
        assertThat(third.discover()).isPresent();
        assertThat(fx.offers.size()).isEqualTo(LIMIT);
    }

    @Test
    void offersNotRequestedWithinTheInFlightTimeMakeRoomWhenFull() {
        fx.client(1).discover().orElseThrow();
        fx.client(2).discover().orElseThrow();
        assertThatThrownBy(fx.client(3)::discover).hasRootCauseInstanceOf(OverloadedException.class);

        fx.clock.advance(Duration.ofSeconds(3));

        assertThat(fx.client(3).discover()).isPresent();
    }

    @Test
    void aRequestMeetingABusyLeaseStoreIsShedNotAnsweredAndItsAddressIsFree() throws Exception {
        try (LeaseTable busy = new LeaseTable(new BusyStore(), fx.clock)) {
            busy.open();
            PendingOffers offers = new PendingOffers(fx.clock, EngineFixture.OFFER_HOLD);
            DhcpEngine engine = new DhcpEngine(fx.settings, List.of(EngineFixture.POOL), busy, offers,
                    HostCatalog.empty(), DhcpEventListener.NONE, fx.clock);
            TestDhcpClient client = new TestDhcpClient(engine, MacAddress.parse("02:00:00:00:00:31"));
            Inet4Address offered = (Inet4Address) client.discover().orElseThrow().packet().getYiaddr();

            assertThatThrownBy(() -> client.requestSelecting(offered)).hasRootCauseInstanceOf(OverloadedException.class);
            assertThat(offers.size()).isZero();
        }
    }

    /** A store whose queue is always full. */
    private static final class BusyStore implements LeaseStore {
        @Override
        public List<Lease> load() {
            return List.of();
        }

        @Override
        public CompletableFuture<Void> write(Lease record, Runnable onDurable) {
            return CompletableFuture.failedFuture(new LeaseStoreBusyException("test store", 0));
        }

        @Override
        public CompletableFuture<List<Lease>> writeBatch(Supplier<List<Lease>> batch,
                                                         Consumer<List<Lease>> onDurable) {
            return CompletableFuture.failedFuture(new LeaseStoreBusyException("test store", 0));
        }

        @Override
        public CompletableFuture<Void> replace(Supplier<Collection<Lease>> snapshot) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aRequestIsNeverShedForFullOffers() {
        fx.client(1).discover().orElseThrow();
        fx.client(2).discover().orElseThrow();
        TestDhcpClient rebooting = fx.client(4);

        // INIT-REBOOT with an address nobody holds: served although the offers are full.
        assertThat(rebooting.requestInitReboot(EngineFixture.ip("192.0.2.105"))).hasValueSatisfying(ack ->
                assertThat(ack.packet().getDHCPMessageType()).isEqualTo((byte) 5));
    }
}
