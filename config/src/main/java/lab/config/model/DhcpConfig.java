package lab.config.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the DHCP server hands out and for how long. YAML section {@code dhcp}:
 * <ul>
 *   <li>{@code pools} (required): at least one pool, see {@link PoolConfig};</li>
 *   <li>{@code lease-time} (required): lease duration, at least 10s;</li>
 *   <li>{@code renew-time} (optional, T1): when clients start renewing, default half of lease-time;</li>
 *   <li>{@code rebind-time} (optional, T2): when clients start rebinding, default 7/8 of lease-time; renew-time,
 *       rebind-time and lease-time must come in that order, each strictly shorter than the next;</li>
 *   <li>{@code offer-hold} (optional): how long an offered address is held for the client, default 30s;</li>
 *   <li>{@code decline-hold} (optional): how long a DECLINEd address is quarantined, default 1h;</li>
 *   <li>{@code journal.compact-every} (optional): how often the lease journal is compacted, default 1h;</li>
 *   <li>{@code reservations} (optional): fixed addresses by MAC, see {@link Reservation};</li>
 *   <li>{@code unknown-clients} (optional): what clients the lab does not know may take, see
 *       {@link UnknownClientsConfig}; for every subnet, each subnet's pools counted apart.</li>
 * </ul>
 * Durations are written {@code 90s}, {@code 30m}, {@code 1h}, {@code 2d}, {@code 1h30m} or as whole seconds.
 */
public record DhcpConfig(List<PoolConfig> pools, Duration leaseTime, Duration renewTime, Duration rebindTime,
        Duration offerHold, Duration declineHold, Duration compactEvery, List<Reservation> reservations,
        UnknownClientsConfig unknownClients) {

    /** Shortest lease-time accepted: shorter leases leave no whole-second room between T1, T2 and expiry. */
    public static final Duration MIN_LEASE_TIME = Duration.ofSeconds(10);
    public static final Duration DEFAULT_OFFER_HOLD = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DECLINE_HOLD = Duration.ofHours(1);
    public static final Duration DEFAULT_COMPACT_EVERY = Duration.ofHours(1);

    public DhcpConfig {
        pools = List.copyOf(pools);
        Objects.requireNonNull(leaseTime, "leaseTime");
        Objects.requireNonNull(renewTime, "renewTime");
        Objects.requireNonNull(rebindTime, "rebindTime");
        Objects.requireNonNull(offerHold, "offerHold");
        Objects.requireNonNull(declineHold, "declineHold");
        Objects.requireNonNull(compactEvery, "compactEvery");
        reservations = List.copyOf(reservations);
        Objects.requireNonNull(unknownClients, "unknownClients");
    }

    /** T1 when none is configured: half the lease time, in whole seconds (RFC 2131 §4.4.5). */
    public static Duration defaultRenewTime(Duration leaseTime) {
        return Duration.ofSeconds(leaseTime.getSeconds() / 2);
    }

    /** T2 when none is configured: 7/8 of the lease time, in whole seconds (RFC 2131 §4.4.5). */
    public static Duration defaultRebindTime(Duration leaseTime) {
        return Duration.ofSeconds(leaseTime.getSeconds() * 7 / 8);
    }
}
