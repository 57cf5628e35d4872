package lab.config.model;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A further segment served through a DHCP relay, as Kea's {@code subnet4}. YAML: an item of the top-level
 * {@code subnets} list (optional; the served interface's own subnet stays {@code network} + {@code dhcp}):
 * <ul>
 *   <li>{@code subnet} (required): the segment in CIDR form with host bits zero, {@code 10.30.0.0/24}, /1 to /30;
 *       it overlaps neither the network's subnet nor another subnet. A request relayed from an address inside it
 *       (giaddr) is served from it;</li>
 *   <li>{@code pools} (required): at least one pool inside the subnet, as in {@code dhcp.pools}, see
 *       {@link PoolConfig}; not containing the network, broadcast or router address;</li>
 *   <li>{@code router} (required): the segment's gateway, a host of the subnet (usually the relay). Clients get it
 *       as option 3 and in option 121 as the way to 169.254.169.254 and to everywhere else;</li>
 *   <li>{@code dns}, {@code ntp} (optional): lists of IPv4 servers; {@code domain} (optional, RFC 1123);
 *       {@code mtu} (optional, 68 to 65535). None is inherited from {@code network};</li>
 *   <li>{@code reservations} (optional): fixed addresses by MAC inside this subnet, see {@link Reservation}; MACs,
 *       addresses and host names are unique across every subnet, {@code dhcp.reservations} and {@code vms};</li>
 *   <li>{@code lease-time} (optional): this subnet's lease duration, at least 10s; T1 and T2 are then half and 7/8
 *       of it. Without it the subnet takes {@code dhcp.lease-time}, {@code renew-time} and {@code rebind-time}.</li>
 * </ul>
 *
 * @param networkAddress the subnet's first address, {@code 10.30.0.0}
 */
public record SubnetConfig(Inet4Address networkAddress, int prefixLength, List<PoolConfig> pools, Inet4Address router,
        List<Inet4Address> dns, Optional<String> domain, List<Inet4Address> ntp, OptionalInt mtu,
        List<Reservation> reservations, Optional<Duration> leaseTime) {

    public SubnetConfig {
        Objects.requireNonNull(networkAddress, "networkAddress");
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length outside 0..32: " + prefixLength);
        }
        if ((Ipv4.toLong(networkAddress) & ~Ipv4.mask(prefixLength) & 0xFFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("host bits set in subnet " + networkAddress.getHostAddress() + "/"
                    + prefixLength);
        }
        pools = List.copyOf(pools);
        Objects.requireNonNull(router, "router");
        dns = List.copyOf(dns);
        Objects.requireNonNull(domain, "domain");
        ntp = List.copyOf(ntp);
        Objects.requireNonNull(mtu, "mtu");
        reservations = List.copyOf(reservations);
        Objects.requireNonNull(leaseTime, "leaseTime");
    }

    /**
     * The same subnet with {@code servers} as its DNS servers and {@code lab} as its domain where it names none: the
     * appliance's DNS server answers for every segment, in the one lab domain.
     */
    public SubnetConfig withDnsDefaults(List<Inet4Address> servers, Optional<String> lab) {
        return new SubnetConfig(networkAddress, prefixLength, pools, router, dns.isEmpty() ? servers : dns,
                domain.or(() -> lab), ntp, mtu, reservations, leaseTime);
    }

    /** Whether {@code candidate} lies in the subnet, network and broadcast address included. */
    public boolean inSubnet(Inet4Address candidate) {
        long mask = Ipv4.mask(prefixLength);
        return (Ipv4.toLong(candidate) & mask) == Ipv4.toLong(networkAddress);
    }

    /** Whether {@code candidate} is in the subnet and is neither its network nor its broadcast address. */
    public boolean isHostInSubnet(Inet4Address candidate) {
        return inSubnet(candidate) && !candidate.equals(networkAddress) && !candidate.equals(broadcastAddress());
    }

    /** The subnet's last address, {@code 10.30.0.255} for {@code 10.30.0.0/24}. */
    public Inet4Address broadcastAddress() {
        return Ipv4.fromLong(Ipv4.toLong(networkAddress) | (~Ipv4.mask(prefixLength) & 0xFFFF_FFFFL));
    }

    /** Whether this subnet and the block {@code address}/{@code prefix} share an address. */
    public boolean overlaps(Inet4Address address, int prefix) {
        long mask = Ipv4.mask(Math.min(prefixLength, prefix));
        return (Ipv4.toLong(networkAddress) & mask) == (Ipv4.toLong(address) & mask);
    }

    /** The subnet in CIDR form, {@code 10.30.0.0/24}. */
    public String subnet() {
        return networkAddress.getHostAddress() + "/" + prefixLength;
    }

    /** This subnet's lease time, else {@code dhcp}'s. */
    public Duration leaseTimeOr(DhcpConfig dhcp) {
        return leaseTime.orElse(dhcp.leaseTime());
    }

    /** T1: {@code dhcp.renew-time} when the subnet takes dhcp's lease time, else half of its own. */
    public Duration renewTimeOr(DhcpConfig dhcp) {
        return leaseTime.map(DhcpConfig::defaultRenewTime).orElse(dhcp.renewTime());
    }

    /** T2: {@code dhcp.rebind-time} when the subnet takes dhcp's lease time, else 7/8 of its own. */
    public Duration rebindTimeOr(DhcpConfig dhcp) {
        return leaseTime.map(DhcpConfig::defaultRebindTime).orElse(dhcp.rebindTime());
    }
}
