package lab.dhcp.engine;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;
import lab.dhcp.MacAddress;

/**
 * The host catalog as one subnet's allocator sees it: a MAC's reservation counts only where it lies in this subnet,
 * as in Kea, where reservations belong to a subnet. A reserved VM that boots on another segment gets a pool address
 * there instead of an offer its segment could not route.
 */
final class SubnetHostCatalog implements HostCatalog {

    private final Subnet subnet;
    private final HostCatalog hosts;

    SubnetHostCatalog(Subnet subnet, HostCatalog hosts) {
        this.subnet = Objects.requireNonNull(subnet, "subnet");
        this.hosts = Objects.requireNonNull(hosts, "hosts");
    }

    @Override
    public HostEntry lookup(MacAddress mac, Optional<String> vendorClass) {
        HostEntry entry = hosts.lookup(mac, vendorClass);
        return new HostEntry(entry.fixedAddress().filter(subnet::contains), entry.hostname(), entry.profile());
    }

    @Override
    public Optional<Inet4Address> fixedAddress(MacAddress mac) {
        return hosts.fixedAddress(mac).filter(subnet::contains);
    }

    @Override
    public Optional<MacAddress> reservedFor(Inet4Address ip) {
        return hosts.reservedFor(ip);
    }

    /** A VM reserved on another segment is still one of the lab's own. */
    @Override
    public boolean knows(MacAddress mac, Optional<String> vendorClass) {
        return hosts.knows(mac, vendorClass);
    }
}
