package lab.config;

import java.net.Inet4Address;
import java.util.Objects;

/** An interface address in CIDR notation, {@code 10.20.0.1/16}: the host address and its subnet's prefix length. */
public record AddressWithPrefix(Inet4Address address, int prefixLength) {

    public AddressWithPrefix {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length outside 0..32: " + prefixLength);
        }
    }
}
