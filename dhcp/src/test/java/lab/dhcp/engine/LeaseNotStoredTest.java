package lab.dhcp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dhcp4java.DHCPConstants.DHCPACK;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import lab.dhcp.lease.LeaseJournal;
import lab.dhcp.server.LeaseNotStoredException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REQUESTs while the lease store cannot write (a full or read-only disk): no ACK and no NAK, whatever the client's
 * state, its lease unchanged; once the store writes again, the client's retransmitted REQUEST is ACKed.
 */
class LeaseNotStoredTest {

    @TempDir
    Path dir;
    final AtomicBoolean failing = new AtomicBoolean();
    EngineFixture fx;

    @BeforeEach
    void startEngine() throws Exception {
        fx = new EngineFixture(dir, new FailingLeaseStore(new LeaseJournal(dir), failing));
    }

    @AfterEach
    void closeEngine() throws Exception {
        fx.close();
    }

    @Test
    void aNewClientIsOfferedButNotAckedAndItsRetransmittedRequestIsAckedOnceTheStoreIsBack() {
        TestDhcpClient client = fx.client(1);
        failing.set(true);
        // Offers live in memory: the client still hears one, and comes back with a REQUEST.
        Inet4Address offered = (Inet4Address) client.discover().orElseThrow().packet().getYiaddr();

        assertThatThrownBy(() -> client.requestSelecting(offered)).hasRootCauseInstanceOf(LeaseNotStoredException.class);
        assertThat(fx.leases.byMac(client.mac())).isEmpty();
        assertThat(fx.offers.heldFor(client.mac())).as("the address stays claimed for the client").hasValue(offered);

        failing.set(false);
        assertThat(client.requestSelecting(offered)).hasValueSatisfying(ack -> {
            assertThat(ack.packet().getDHCPMessageType()).isEqualTo(DHCPACK);
            assertThat(ack.packet().getYiaddr()).isEqualTo(offered);
        });
        assertThat(fx.leases.activeByIp(offered)).hasValueSatisfying(l -> assertThat(l.mac()).isEqualTo(client.mac()));
    }

    @Test
    void aRenewIsNotAckedAndTheLeaseKeepsItsExpiryUntilTheStoreIsBack() {
        TestDhcpClient client = fx.client(2);
        Inet4Address ip = (Inet4Address) client.dora().orElseThrow().packet().getYiaddr();
        Instant expires = fx.leases.activeByIp(ip).orElseThrow().expires();
        fx.clock.advance(Duration.ofMinutes(30));
        failing.set(true);

        assertThatThrownBy(client::renew).hasRootCauseInstanceOf(LeaseNotStoredException.class);
        assertThatThrownBy(client::rebind).hasRootCauseInstanceOf(LeaseNotStoredException.class);
        assertThatThrownBy(() -> fx.client(2).requestInitReboot(ip))
                .hasRootCauseInstanceOf(LeaseNotStoredException.class);
        assertThat(fx.leases.activeByIp(ip)).as("still the client's, not extended")
                .hasValueSatisfying(l -> assertThat(l.expires()).isEqualTo(expires));

        failing.set(false);
        assertThat(client.renew()).hasValueSatisfying(ack -> assertThat(ack.packet().getDHCPMessageType())
                .isEqualTo(DHCPACK));
        assertThat(fx.leases.activeByIp(ip).orElseThrow().expires())
                .isEqualTo(fx.clock.instant().plus(EngineFixture.LEASE_TIME));
    }
}
