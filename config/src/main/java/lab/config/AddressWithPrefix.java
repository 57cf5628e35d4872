package lab.config;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * An address in CIDR notation with its prefix length: an interface's host address ({@code 10.20.0.1/16}) or a subnet's
 * network address ({@code 10.30.0.0/24}).
 */
public record AddressWithPrefix(Inet4Address address, int prefixLength) {

    public AddressWithPrefix {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length outside 0..32: " + prefixLength);
        }
    }
}
