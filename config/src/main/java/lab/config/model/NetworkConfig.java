package lab.config.model;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The lab network the appliance serves. YAML section {@code network}:
 * <ul>
 *   <li>{@code interface} (required): the interface DHCP binds to, alone;</li>
 *   <li>{@code address} (required): the appliance's own address with prefix length, {@code 10.20.0.1/16}; it is the
 *       DHCP server identifier and the metadata URL, and its prefix defines the subnet;</li>
 *   <li>{@code router} (optional): default gateway handed to clients, a host address in the subnet;</li>
 *   <li>{@code dns}, {@code ntp} (optional): lists of IPv4 servers;</li>
 *   <li>{@code domain} (optional): the DNS domain, RFC 1123;</li>
 *   <li>{@code mtu} (optional): interface MTU for clients, 68 to 65535.</li>
 * </ul>
 */
public record NetworkConfig(String interfaceName, Inet4Address address, int prefixLength,
        Optional<Inet4Address> router, List<Inet4Address> dns, Optional<String> domain, List<Inet4Address> ntp,
        OptionalInt mtu) {

    public NetworkConfig {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(mtu, "mtu");
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length outside 0..32: " + prefixLength);
        }
        dns = List.copyOf(dns);
        ntp = List.copyOf(ntp);
    }

    /** The same network with {@code servers} as the DNS servers handed to clients. */
    public NetworkConfig withDns(List<Inet4Address> servers) {
        return new NetworkConfig(interfaceName, address, prefixLength, router, servers, domain, ntp, mtu);
    }

    /** The netmask, {@code 255.255.0.0} for /16. */
    public Inet4Address subnetMask() {
        return Ipv4.fromLong(Ipv4.mask(prefixLength));
    }

    /** Whether {@code candidate} lies in the subnet, network and broadcast address included. */
    public boolean inSubnet(Inet4Address candidate) {
        long mask = Ipv4.mask(prefixLength);
        return (Ipv4.toLong(candidate) & mask) == (Ipv4.toLong(address) & mask);
    }

    /** Whether {@code candidate} is in the subnet and is neither its network nor its broadcast address. */
    public boolean isHostInSubnet(Inet4Address candidate) {
        return inSubnet(candidate) && !candidate.equals(networkAddress()) && !candidate.equals(broadcastAddress());
    }

    /** The subnet's first address, {@code 10.20.0.0} for {@code 10.20.0.1/16}. */
    public Inet4Address networkAddress() {
        return Ipv4.fromLong(Ipv4.toLong(address) & Ipv4.mask(prefixLength));
    }

    /** The subnet's last address, {@code 10.20.255.255} for {@code 10.20.0.1/16}. */
    public Inet4Address broadcastAddress() {
        return Ipv4.fromLong(Ipv4.toLong(address) | (~Ipv4.mask(prefixLength) & 0xFFFF_FFFFL));
    }

    /** The subnet in CIDR form, {@code 10.20.0.0/16}. */
    public String subnet() {
        return networkAddress().getHostAddress() + "/" + prefixLength;
    }
}
