package lab.dhcp.engine;

import java.net.Inet4Address;
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

/**
 * DECLINE (RFC 2131 §4.3.3): the client found the address in use (ARP), so it is quarantined for the decline hold
 * and given to no one meanwhile. Only the MAC that was offered or leased the address can decline it, so a client
 * cannot quarantine the pool. No reply.
 */
final class DeclineProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(DeclineProcessor.class);

    private final DhcpSettings settings;
    private final PendingOffers offers;
    private final LeaseTable leases;
    private final Clock clock;

    DeclineProcessor(DhcpSettings settings, PendingOffers offers, LeaseTable leases, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.offers = Objects.requireNonNull(offers, "offers");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    CompletionStage<Void> process(ClientContext client) {
        if (client.serverId().isPresent() && !client.serverId().get().equals(settings.serverAddress())) {
            return CompletableFuture.completedFuture(null);
        }
        Optional<Inet4Address> declined = client.requestedIp();
        Instant now = clock.instant();
        boolean ours = declined.isPresent()
                && (offers.heldFor(client.mac()).equals(declined)
                    || leases.byIp(declined.get()).filter(l -> l.mac().equals(client.mac()) && l.isActiveAt(now)).isPresent());
        if (!ours) {
            LOG.debug("ignored: decline of an address not given to this MAC mac={} ip={}", client.mac(),
                    declined.map(Inet4Address::getHostAddress).orElse("none"));
            return CompletableFuture.completedFuture(null);
        }
        offers.release(client.mac());
        Lease quarantine = new Lease(declined.get(), client.mac(), client.clientId(), "", "", now,
                now.plus(settings.declineHold()), LeaseState.DECLINED);
        LOG.warn("address declined by client, quarantined mac={} ip={} hold={}", client.mac(),
                declined.get().getHostAddress(), settings.declineHold().toSeconds());
        return leases.commit(quarantine).handle((done, failure) -> {
            if (failure != null) {
                // The store logged the outage once (LeaseStore#write).
                LOG.debug("decline not written mac={} ip={}: {}", client.mac(),
                        declined.get().getHostAddress(), failure.toString());
            }
            return null;
        });
    }
}
