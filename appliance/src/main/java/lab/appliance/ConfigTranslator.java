package lab.appliance;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import lab.config.model.ApplianceConfig;
import lab.config.model.Datasource;
import lab.config.model.NetworkConfig;
import lab.dhcp.alloc.AddressPool;
import lab.dhcp.codec.ClasslessRoute;
import lab.dhcp.engine.DhcpSettings;
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
     * Option 121: the metadata address via the appliance, and — because RFC 3442 clients then ignore option 3 — the
     * default route via the router, when there is one.
     */
    static List<ClasslessRoute> classlessRoutes(NetworkConfig net) {
        List<ClasslessRoute> routes = new ArrayList<>();
        routes.add(new ClasslessRoute(METADATA_ADDRESS, 32, net.address()));
        net.router().ifPresent(router -> routes.add(new ClasslessRoute(ANY, 0, router)));
        return routes;
    }

    public static List<AddressPool> pools(ApplianceConfig config) {
        return config.dhcp().pools().stream().map(p -> new AddressPool(p.first(), p.last())).toList();
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
