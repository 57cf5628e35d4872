package lab.appliance;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lab.config.model.ApplianceConfig;
import lab.config.model.Datasource;
import lab.config.model.DhcpConfig;
import lab.config.model.NetworkConfig;
import lab.config.model.PoolConfig;
import lab.config.model.SubnetConfig;
import lab.dhcp.alloc.AddressPool;
import lab.dhcp.codec.ClasslessRoute;
import lab.dhcp.engine.DhcpSettings;
import lab.dhcp.engine.Subnet;
import lab.dhcp.engine.UnknownClientLimits;
import lab.metadata.Flavour;

/** Turns the validated config into what the DHCP module takes; the only place that knows both vocabularies. */
public final class ConfigTranslator {

    /** Where every cloud-init datasource but NoCloud and CloudStack looks for its metadata. */
    public static final Inet4Address METADATA_ADDRESS = v4(new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254});
    private static final Inet4Address ANY = v4(new byte[] {0, 0, 0, 0});

    private ConfigTranslator() {
    }

    public static DhcpSettings dhcpSettings(ApplianceConfig config) {
        NetworkConfig net = config.network();
        var dhcp = config.dhcp();
        return new DhcpSettings(net.address(), net.prefixLength(), net.router(), net.dns(), net.domain(), net.ntp(),
                net.mtu(), classlessRoutes(net), dhcp.leaseTime(), dhcp.renewTime(), dhcp.rebindTime(),
                dhcp.declineHold());
    }

    /**
     * What unknown clients may take ({@code dhcp.unknown-clients}), the pool share defaulted by whether the config
     * knows some client: pass the config with the VM records changed through the API applied.
     */
    public static UnknownClientLimits unknownClientLimits(ApplianceConfig config) {
        return new UnknownClientLimits(config.dhcp().unknownClients().rateLimit(), config.unknownClientPoolShare());
    }

    /**
     * Option 121: the metadata address via the appliance, and — because RFC 3442 clients then ignore option 3 — the
     * default route via the router, when there is one.
     */
    static List<ClasslessRoute> classlessRoutes(NetworkConfig net) {
        List<ClasslessRoute> routes = new ArrayList<>();
        routes.add(new ClasslessRoute(METADATA_ADDRESS, 32, net.address()));
        net.router().ifPresent(router -> routes.add(new ClasslessRoute(ANY, 0, router)));
        return routes;
    }

    /** The served interface's subnet's pools ({@code dhcp.pools}). */
    public static List<AddressPool> pools(ApplianceConfig config) {
        return addressPools(config.dhcp().pools());
    }

    /** Every pool, the served subnet's and then each relayed subnet's, for pool statistics. */
    public static List<AddressPool> allPools(ApplianceConfig config) {
        List<AddressPool> all = new ArrayList<>(pools(config));
        config.subnets().forEach(subnet -> all.addAll(addressPools(subnet.pools())));
        return List.copyOf(all);
    }

    /**
     * The segments behind relays ({@code subnets}). Their clients reach the appliance only through their router, so
     * option 121 sends the metadata address that way too, then the default route (RFC 3442 clients ignore option 3
     * once they have 121). Lease times are the subnet's, else {@code dhcp}'s.
     */
    public static List<Subnet> relayedSubnets(ApplianceConfig config) {
        return config.subnets().stream().map(subnet -> relayedSubnet(subnet, config.dhcp())).toList();
    }

    private static Subnet relayedSubnet(SubnetConfig subnet, DhcpConfig dhcp) {
        List<ClasslessRoute> routes = List.of(new ClasslessRoute(METADATA_ADDRESS, 32, subnet.router()),
                new ClasslessRoute(ANY, 0, subnet.router()));
        return new Subnet(subnet.networkAddress(), subnet.prefixLength(), addressPools(subnet.pools()),
                Optional.of(subnet.router()), subnet.dns(), subnet.domain(), subnet.ntp(), subnet.mtu(), routes,
                subnet.leaseTimeOr(dhcp), subnet.renewTimeOr(dhcp), subnet.rebindTimeOr(dhcp));
    }

    private static List<AddressPool> addressPools(List<PoolConfig> pools) {
        return pools.stream().map(p -> new AddressPool(p.first(), p.last())).toList();
    }

    /** The metadata flavour cloud-init asks for when it runs the given datasource. */
    public static Flavour flavour(Datasource datasource) {
        return switch (datasource) {
            case CLOUDSTACK -> Flavour.CLOUDSTACK;
            case EC2, EC2_AWS -> Flavour.EC2;
            case OPENSTACK -> Flavour.OPENSTACK;
            case NOCLOUD, NOCLOUD_CMDLINE -> Flavour.NOCLOUD;
        };
    }

    private static Inet4Address v4(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
