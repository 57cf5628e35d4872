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
 * The served interface's subnet and the options every client on it gets, with what holds for every subnet: the
 * server identifier and the decline hold. Segments behind relays are further {@link Subnet}s.
 *
 * @param serverAddress   the appliance's address: server identifier (option 54) and metadata server
 * @param prefixLength    the subnet's prefix length (option 1)
 * @param router          option 3
 * @param dns             option 6
 * @param domain          option 15
 * @param ntp             option 42
 * @param mtu             option 26
 * @param classlessRoutes option 121 (RFC 3442), sent to clients that ask for it
 * @param leaseTime       option 51
 * @param renewTime       option 58 (T1)
 * @param rebindTime      option 59 (T2)
 * @param declineHold     how long a DECLINEd address stays quarantined
 */
public record DhcpSettings(Inet4Address serverAddress, int prefixLength, Optional<Inet4Address> router,
                           List<Inet4Address> dns, Optional<String> domain, List<Inet4Address> ntp,
                           OptionalInt mtu, List<ClasslessRoute> classlessRoutes, Duration leaseTime,
                           Duration renewTime, Duration rebindTime, Duration declineHold) {

    public DhcpSettings {
        Objects.requireNonNull(serverAddress, "serverAddress");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(mtu, "mtu");
        dns = List.copyOf(dns);
        ntp = List.copyOf(ntp);
        classlessRoutes = List.copyOf(classlessRoutes);
        Objects.requireNonNull(leaseTime, "leaseTime");
        Objects.requireNonNull(renewTime, "renewTime");
        Objects.requireNonNull(rebindTime, "rebindTime");
        Objects.requireNonNull(declineHold, "declineHold");
        if (prefixLength < 1 || prefixLength > 30) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
    }

    public Inet4Address subnetMask() {
        return Ipv4.fromInt(Ipv4.mask(prefixLength));
    }

    public Inet4Address broadcastAddress() {
        return Ipv4.fromInt(Ipv4.toInt(serverAddress) | ~Ipv4.mask(prefixLength));
    }

    /** The served interface's subnet, handing out {@code pools}. */
    public Subnet subnet(List<AddressPool> pools) {
        return new Subnet(serverAddress, prefixLength, pools, router, dns, domain, ntp, mtu, classlessRoutes, leaseTime,
                renewTime, rebindTime);
    }

    /** True when {@code address} is on the served subnet (a relay address there means "this subnet"). */
    public boolean inSubnet(Inet4Address address) {
        int mask = Ipv4.mask(prefixLength);
        return (Ipv4.toInt(address) & mask) == (Ipv4.toInt(serverAddress) & mask);
    }
}
