package lab.dhcp.engine;

/**
 * How much of the pools and of the server's time clients the lab does not know may take, so that one host cycling
 * through thousands of MACs cannot starve the lab's own VMs. A client is unknown when the {@link HostCatalog} does
 * not {@link HostCatalog#knows know} it; a client that already holds an address (an offer, an active lease) is never
 * limited, nor is any known one.
 *
 * @param ratePerSecond new unknown clients a second per source (each relay by its giaddr, and the served interface
 *                      for requests not relayed), {@code 2 × ratePerSecond} as a burst; 0 for no limit
 * @param poolShare     the percentage of each subnet's pool addresses (its pools together) that unknown clients may
 *                      hold at once, 0 to 100; 100 for no cap
 */
public record UnknownClientLimits(int ratePerSecond, int poolShare) {

    /** No limit at all: every client is served as if known. */
    public static final UnknownClientLimits NONE = new UnknownClientLimits(0, 100);

    public UnknownClientLimits {
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("negative rate: " + ratePerSecond);
        }
        if (poolShare < 0 || poolShare > 100) {
            throw new IllegalArgumentException("pool share outside 0..100: " + poolShare);
        }
    }

    /** True when neither limit applies, so the engine need not look at who a client is. */
    public boolean unlimited() {
        return ratePerSecond == 0 && poolShare == 100;
    }

    /** How many of {@code poolSize} addresses unknown clients may hold: the share, rounded down. */
    public long cap(long poolSize) {
        return poolSize * poolShare / 100;
    }

    /** The limits in the config's words, for logs: {@code pool-share 50%, rate-limit 20/s}. */
    @Override
    public String toString() {
        return "pool-share " + poolShare + "%, rate-limit " + (ratePerSecond == 0 ? "none" : ratePerSecond + "/s");
    }
}
