package lab.appliance.dns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import lab.appliance.inventory.LiveInventory;
import lab.appliance.inventory.VmHostnames;
import lab.config.model.ApplianceConfig;
import lab.config.model.NetworkConfig;
import lab.config.model.Reservation;
import lab.config.model.SubnetConfig;
import lab.dhcp.lease.LeaseView;
import lab.dns.DnsCounters;
import lab.dns.DnsServer;
import lab.dns.DnsSettings;
import lab.dns.LabNames;
import lab.dns.LabNetwork;
import lab.dns.ZoneSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance's DNS server put together: its names filled from the lease table and kept in step with it, its
 * zone (domain, subnets, fixed names, TTL) from the config in force, swapped in whenever the inventory changes.
 */
public final class LabDns implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LabDns.class);
    public static final int PORT = 53;

    private final LabNames names;
    private final LeaseNames leaseNames;
    private final DnsServer server;

    public LabDns(ApplianceConfig config, LiveInventory inventory, VmHostnames hostnames, LeaseView leases,
                  Clock clock) {
        Objects.requireNonNull(config, "config");
        this.names = new LabNames(clock);
        this.leaseNames = new LeaseNames(names, inventory, hostnames, leases, clock);
        this.server = new DnsServer(settings(config), zone(config), names, clock);
        leaseNames.fill();
        leases.addListener(leaseNames);
        inventory.addChangeListener(applied -> {
            if (!applied.dns().enabled()) {
                return;   // DNS turned off by a reload: the running server stays as it is until a restart
            }
            server.reload(zone(applied));
            leaseNames.inventoryChanged();
            LOG.debug("DNS zone reloaded names={} fixed={}", names.size(), zone(applied).fixed().size());
        });
    }

    /** Opens port 53 (UDP and TCP) on the appliance's address. */
    public void start() throws IOException {
        server.start();
    }

    public DnsCounters counters() {
        return server.counters();
    }

    /** The UDP address it answers on. */
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    /** The socket settings {@code config} asks for: a reload that changes them needs a restart. */
    public static DnsSettings settings(ApplianceConfig config) {
        NetworkConfig network = config.network();
        List<InetSocketAddress> upstreams = config.dns().forwarders().stream()
                .map(ip -> new InetSocketAddress(ip, PORT)).toList();
        return new DnsSettings(new InetSocketAddress(network.address(), PORT), Optional.of(network.interfaceName()),
                upstreams, config.dns().rateLimit());
    }

    /**
     * The zone {@code config} describes: the reverse zones of the network and of every relayed subnet; every
     * reservation and VM record with both a name and an address is a fixed name.
     */
    public static ZoneSettings zone(ApplianceConfig config) {
        NetworkConfig network = config.network();
        Map<String, Inet4Address> fixed = new LinkedHashMap<>();
        for (Reservation reservation : config.allReservations()) {
            reservation.hostname().ifPresent(name -> fixed.putIfAbsent(name, reservation.ip()));
        }
        String domain = network.domain().orElseThrow(() -> new IllegalStateException("DNS without network.domain"));
        List<LabNetwork> networks = new ArrayList<>();
        networks.add(new LabNetwork(network.address(), Math.max(8, network.prefixLength())));
        for (SubnetConfig subnet : config.subnets()) {
            networks.add(new LabNetwork(subnet.networkAddress(), Math.max(8, subnet.prefixLength())));
        }
        return new ZoneSettings(domain, network.address(), networks, fixed, config.dns().ttl());
    }

    @Override
    public void close() {
        server.close();
    }
}
