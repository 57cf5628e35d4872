package lab.config.model;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What clients the lab does not know may take, so that one host cycling through MACs cannot starve the lab's own
 * VMs. A client is unknown when it has no reservation, no VM record and no profile whose match rule
 * ({@code mac-prefix}, {@code vendor-class}) fits it; {@code metadata.default-profile} does not make it known. A
 * client already holding an address is never limited. YAML section {@code dhcp.unknown-clients}, both keys optional:
 * <ul>
 *   <li>{@code pool-share}: the share of each subnet's pool addresses unknown clients may hold at once, {@code 0%} to
 *       {@code 100%} (no cap). Default {@value #DEFAULT_POOL_SHARE}% once the config knows some client (a
 *       reservation, a VM record or a profile with a match rule), else 100%: a cap then protects nobody, as every
 *       client is unknown;</li>
 *   <li>{@code rate-limit}: new unknown clients a second per relay, and on the served interface for requests not
 *       relayed, twice that as a burst; default {@value #DEFAULT_RATE_LIMIT}, 0 for none.</li>
 * </ul>
 *
 * @param poolShare the configured share in percent, empty for the default
 */
public record UnknownClientsConfig(OptionalInt poolShare, int rateLimit) {

    public static final int DEFAULT_POOL_SHARE = 50;
    /**
     * A boot storm of 200 unknown VMs passes in the burst; a flood is held to a pace that bounds what strangers
     * leave behind (offers, timelines).
     */
    public static final int DEFAULT_RATE_LIMIT = 100;
    public static final UnknownClientsConfig DEFAULTS = new UnknownClientsConfig(OptionalInt.empty(),
            DEFAULT_RATE_LIMIT);

    public UnknownClientsConfig {
        Objects.requireNonNull(poolShare, "poolShare");
        if (poolShare.isPresent() && (poolShare.getAsInt() < 0 || poolShare.getAsInt() > 100)) {
            throw new IllegalArgumentException("pool share outside 0..100: " + poolShare.getAsInt());
        }
        if (rateLimit < 0) {
            throw new IllegalArgumentException("negative rate limit: " + rateLimit);
        }
    }

    /** The share in force: the configured one, else the default for a config that does or does not know clients. */
    public int poolShareFor(boolean someClientsKnown) {
        return poolShare.orElse(someClientsKnown ? DEFAULT_POOL_SHARE : 100);
    }
}
