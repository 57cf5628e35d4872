package lab.config.model;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * A further NIC of a VM that cloud-init configures statically from metadata. YAML: an item of
 * {@code vms[].interfaces} with {@code mac} (required), {@code address} (required, CIDR like {@code 192.0.2.10/24})
 * and {@code gateway} (optional, inside that subnet).
 *
 * @param mac normalised to lowercase with colons
 */
public record ExtraInterface(String mac, Inet4Address address, int prefixLength, Optional<Inet4Address> gateway) {

    public ExtraInterface {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gateway, "gateway");
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length outside 0..32: " + prefixLength);
        }
    }
}
