package lab.config.model;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * A range of addresses handed out to clients without a reservation, both ends included.
 *
 * <p>YAML: an item of {@code dhcp.pools}, written {@code 10.20.1.1-10.20.3.254} or as a CIDR block
 * {@code 10.20.4.0/24}, which means {@code 10.20.4.1-10.20.4.254} (network and broadcast address left out).
 */
public record PoolConfig(Inet4Address first, Inet4Address last) {

    public PoolConfig {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (Ipv4.toLong(first) > Ipv4.toLong(last)) {
            throw new IllegalArgumentException("pool runs backwards: " + first.getHostAddress() + "-"
                    + last.getHostAddress());
        }
    }

    /** How many addresses the pool holds. */
    public long size() {
        return Ipv4.toLong(last) - Ipv4.toLong(first) + 1;
    }

    /** Whether {@code address} lies between first and last, both included. */
    public boolean contains(Inet4Address address) {
        long value = Ipv4.toLong(address);
        return value >= Ipv4.toLong(first) && value <= Ipv4.toLong(last);
    }

    /** Whether this pool and {@code other} share at least one address. */
    public boolean overlaps(PoolConfig other) {
        return contains(other.first) || other.contains(first);
    }

    /** The pool in range form, {@code 10.20.1.1-10.20.3.254}. */
    @Override
    public String toString() {
        return first.getHostAddress() + "-" + last.getHostAddress();
    }
}
