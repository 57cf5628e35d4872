package lab.dhcp.engine;

import java.net.Inet4Address;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import lab.dhcp.Ipv4;
import lab.dhcp.alloc.PendingOffers;
import lab.dhcp.codec.ThrottledLog;
import lab.dhcp.engine.UnknownClientRefusals.Reason;
import lab.dhcp.lease.LeaseView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Whether one subnet answers a request that would give an address to a client holding none, under the
 * {@link UnknownClientLimits}. In order: a client holding an address already (an unexpired offer, an active lease)
 * passes, as does one the {@link HostCatalog} knows; then an unknown client is refused while unknown clients hold
 * their share of the subnet's pools ({@link UnknownClientShare}), then while its source is over the rate
 * ({@link NewClientRate}); else it is admitted and counted in the share. The share is checked first so that a
 * refusal it makes spends no token. Each refusal is counted by reason and logged at WARN at most every
 * {@value #WARN_INTERVAL_SECONDS} s per reason (with how many were skipped), at DEBUG otherwise.
 */
final class UnknownClientGate {

    private static final Logger LOG = LoggerFactory.getLogger(UnknownClientGate.class);
    static final long WARN_INTERVAL_SECONDS = 10;
    /** The rate limit's source for requests not relayed: the served interface. */
    private static final Inet4Address INTERFACE = Ipv4.fromInt(0);

    private final UnknownClientLimits limits;
    private final UnknownClientShare share;
    private final NewClientRate rate;
    private final HostCatalog hosts;
    private final PendingOffers offers;
    private final LeaseView leases;
    private final UnknownClientRefusals refusals;
    private final Clock clock;
    private final String pools;
    private final ThrottledLog shareLog;
    private final ThrottledLog rateLog;

    /**
     * @param rate  shared by every subnet of the engine: the limit is per source, not per subnet
     * @param pools the subnet's pools as the log names them
     */
    UnknownClientGate(UnknownClientLimits limits, UnknownClientShare share, NewClientRate rate, HostCatalog hosts,
                      PendingOffers offers, LeaseView leases, UnknownClientRefusals refusals, Clock clock,
                      String pools) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.share = Objects.requireNonNull(share, "share");
        this.rate = Objects.requireNonNull(rate, "rate");
        this.hosts = Objects.requireNonNull(hosts, "hosts");
        this.offers = Objects.requireNonNull(offers, "offers");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.refusals = Objects.requireNonNull(refusals, "refusals");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pools = Objects.requireNonNull(pools, "pools");
        Duration interval = Duration.ofSeconds(WARN_INTERVAL_SECONDS);
        this.shareLog = new ThrottledLog(LOG, Level.WARN, clock, interval);
        this.rateLog = new ThrottledLog(LOG, Level.WARN, clock, interval);
    }

    /** True when {@code client} may be answered with an address; false (counted, logged) when a limit refuses it. */
    boolean admits(ClientContext client) {
        if (limits.unlimited() || holdsAddress(client) || hosts.knows(client.mac(), client.vendorClass())) {
            return true;
        }
        if (!share.hasRoom()) {
            refusals.refused(Reason.POOL_SHARE);
            shareLog.log("unknown clients hold their share of the pools, no offer mac={} pool_share={}% held={} cap={} "
                            + "pools={} refused_total={}", client.mac(), limits.poolShare(), share.held(), share.cap(),
                    pools, refusals.count(Reason.POOL_SHARE));
            if (LOG.isDebugEnabled()) {
                LOG.debug("no offer: unknown clients hold their pool share mac={} pools={}", client.mac(), pools);
            }
            return false;
        }
        Inet4Address source = client.relayed() ? client.giaddr() : INTERFACE;
        if (!rate.take(source)) {
            refusals.refused(Reason.RATE_LIMIT);
            String from = client.relayed() ? "relay " + client.giaddr().getHostAddress() : "interface";
            rateLog.log("new unknown clients over the rate limit, no offer mac={} source=\"{}\" rate_limit={}/s "
                    + "refused_total={}", client.mac(), from, limits.ratePerSecond(),
                    refusals.count(Reason.RATE_LIMIT));
            if (LOG.isDebugEnabled()) {
                LOG.debug("no offer: new unknown clients over the rate limit mac={} source=\"{}\"", client.mac(), from);
            }
            return false;
        }
        share.admitted(client.mac());
        return true;
    }

    private boolean holdsAddress(ClientContext client) {
        return offers.heldFor(client.mac()).isPresent()
                || leases.byMac(client.mac()).filter(lease -> lease.isActiveAt(clock.instant())).isPresent();
    }
}
