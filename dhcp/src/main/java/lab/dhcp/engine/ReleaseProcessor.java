package lab.dhcp.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import lab.dhcp.alloc.PendingOffers;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseState;
import lab.dhcp.lease.LeaseTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** RELEASE (RFC 2131 §4.3.4): the client's lease on ciaddr ends now; the address is free at once. No reply. */
final class ReleaseProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseProcessor.class);

    private final DhcpSettings settings;
    private final PendingOffers offers;
    private final LeaseTable leases;
    private final Clock clock;

    ReleaseProcessor(DhcpSettings settings, PendingOffers offers, LeaseTable leases, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.offers = Objects.requireNonNull(offers, "offers");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    CompletionStage<Void> process(ClientContext client) {
        offers.release(client.mac());
        if (client.serverId().isPresent() && !client.serverId().get().equals(settings.serverAddress())) {
            return CompletableFuture.completedFuture(null);
        }
        Instant now = clock.instant();
        Optional<Lease> lease = leases.byIp(client.ciaddr())
                .filter(l -> l.mac().equals(client.mac()) && l.isActiveAt(now));
        if (lease.isEmpty()) {
            LOG.debug("ignored: release of an address this MAC does not hold mac={} ip={}",
                    client.mac(), client.ciaddr().getHostAddress());
            return CompletableFuture.completedFuture(null);
        }
        return leases.commit(lease.get().withState(LeaseState.RELEASED, now, now)).handle((done, failure) -> {
            if (failure != null) {
                // The store logged the outage once (LeaseStore#write).
                LOG.debug("release not written mac={} ip={}: {}", client.mac(),
                        client.ciaddr().getHostAddress(), failure.toString());
            }
            return null;
        });
    }
}
