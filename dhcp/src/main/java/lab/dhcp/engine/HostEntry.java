package lab.dhcp.engine;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * What the rest of the appliance knows about one MAC: its fixed address, hostname and device profile, if any.
 *
 * @param fixedAddress the reservation: always this MAC's address, never another's
 * @param hostname     sent as option 12 and recorded in the lease
 * @param profile      the device profile the appliance gave the MAC, recorded in the lease (opaque to DHCP); ""
 *                     if none
 */
public record HostEntry(Optional<Inet4Address> fixedAddress, Optional<String> hostname, String profile) {

    public HostEntry {
        Objects.requireNonNull(fixedAddress, "fixedAddress");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(profile, "profile");
    }

    public static HostEntry unknown() {
        return new HostEntry(Optional.empty(), Optional.empty(), "");
    }
}
