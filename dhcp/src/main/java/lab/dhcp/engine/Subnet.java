package lab.dhcp.engine;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import lab.dhcp.Ipv4;
import lab.dhcp.alloc.AddressPool;
import lab.dhcp.codec.ClasslessRoute;

/**
 * One address range the engine serves, with its pools and the options and lease times its clients get: the served
 * interface's own subnet ({@link DhcpSettings#subnet}) or a segment behind a relay.
 *
 * @param networkAddress  the subnet's first address (host bits beyond the prefix are ignored)
 * @param prefixLength    1..30 (option 1)
 * @param pools           the addresses handed out dynamically, all inside the subnet
 * @param router          option 3
 * @param dns             option 6
 * @param domain          option 15
 * @param ntp             option 42
 * @param mtu             option 26
 * @param classlessRoutes option 121 (RFC 3442), sent to clients that ask for it
 * @param leaseTime       option 51
 * @param renewTime       option 58 (T1)
 * @param rebindTime      option 59 (T2)
 */
public record Subnet(Inet4Address networkAddress, int prefixLength, List<AddressPool> pools,
                     Optional<Inet4Address> router, List<Inet4Address> dns, Optional<String> domain,
                     List<Inet4Address> ntp, OptionalInt mtu, List<ClasslessRoute> classlessRoutes,
                     Duration leaseTime, Duration renewTime, Duration rebindTime) {

    public Subnet {
        Objects.requireNonNull(networkAddress, "networkAddress");
        if (prefixLength < 1 || prefixLength > 30) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
        pools = List.copyOf(pools);
        Objects.requireNonNull(router, "router");
        dns = List.copyOf(dns);
        Objects.requireNonNull(domain, "domain");
        ntp = List.copyOf(ntp);
        Objects.requireNonNull(mtu, "mtu");
        classlessRoutes = List.copyOf(classlessRoutes);
        Objects.requireNonNull(leaseTime, "leaseTime");
        Objects.requireNonNull(renewTime, "renewTime");
        Objects.requireNonNull(rebindTime, "rebindTime");
    }

    /** True when {@code address} lies in this subnet, network and broadcast address included. */
    public boolean contains(Inet4Address address) {
        int mask = Ipv4.mask(prefixLength);
        return (Ipv4.toInt(address) & mask) == (Ipv4.toInt(networkAddress) & mask);
    }

    /** True when {@code address} is neither this subnet's network address nor its broadcast address. */
    public boolean isHostAddress(Inet4Address address) {
        int host = Ipv4.toInt(address) & ~Ipv4.mask(prefixLength);
        return host != 0 && host != ~Ipv4.mask(prefixLength);
    }

    public Inet4Address subnetMask() {
        return Ipv4.fromInt(Ipv4.mask(prefixLength));
    }

    public Inet4Address broadcastAddress() {
        return Ipv4.fromInt(Ipv4.toInt(networkAddress) | ~Ipv4.mask(prefixLength));
    }

    /** The subnet in CIDR form, {@code 10.30.0.0/24}, for logs. */
    @Override
    public String toString() {
        return Ipv4.fromInt(Ipv4.toInt(networkAddress) & Ipv4.mask(prefixLength)).getHostAddress() + "/" + prefixLength;
    }
}
