package lab.config.model;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole validated appliance configuration. YAML top-level keys: {@code network} (required,
 * {@link NetworkConfig}), {@code dhcp} (required, {@link DhcpConfig}), {@code subnets} (optional, relayed segments,
 * {@link SubnetConfig}), {@code state-dir} (optional, default
 * {@code /var/lib/appliance}; a relative path is taken from the config file's directory), {@code metadata}
 * ({@link MetadataConfig}), {@code profiles} ({@link DeviceProfile}), {@code vms} ({@link VmRecord}) and
 * {@code admin} ({@link AdminConfig}), {@code dns} ({@link DnsConfig}), {@code store} ({@link StoreConfig}) and
 * {@code ha} ({@link HaConfig}), all optional.
 *
 * @param source the config file as the caller named it
 * @param stateDir absolute and normalised
 * @param subnets in file order; none overlaps another or the network's subnet
 * @param profiles in file order, names unique
 */
public record ApplianceConfig(Path source, NetworkConfig network, DhcpConfig dhcp, List<SubnetConfig> subnets,
        Path stateDir,
        MetadataConfig metadata, List<DeviceProfile> profiles, List<VmRecord> vms, AdminConfig admin,
        DnsConfig dns, StoreConfig store, Optional<HaConfig> ha) {

    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/appliance");

    public ApplianceConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(dhcp, "dhcp");
        subnets = List.copyOf(subnets);
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(metadata, "metadata");
        profiles = List.copyOf(profiles);
        vms = List.copyOf(vms);
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(ha, "ha");
    }

    /** The relayed subnet that {@code address} lies in, if any (the network's own subnet is not one of them). */
    public Optional<SubnetConfig> subnetOf(Inet4Address address) {
        return subnets.stream().filter(subnet -> subnet.inSubnet(address)).findFirst();
    }

    /**
     * The same config with its state kept in {@code dir} (the CLI's {@code --state-dir}, used by tests and demos).
     * The admin token moves there too unless the config names a file other than the default: a throw-away run must
     * not leave a token in /etc.
     */
    public ApplianceConfig withStateDir(Path dir) {
        Path state = dir.toAbsolutePath().normalize();
        AdminConfig relocated = admin.tokenFile().equals(AdminConfig.DEFAULT_TOKEN_FILE)
                ? new AdminConfig(admin.listen(), state.resolve("admin.token")) : admin;
        return new ApplianceConfig(source, network, dhcp, subnets, state, metadata, profiles, vms, relocated, dns, store,
                ha);
    }

    /**
     * Whether the config knows some client: a reservation, a VM record, or a profile with a match rule. Decides
     * the default of {@link UnknownClientsConfig#poolShareFor}.
     */
    public boolean knowsSomeClients() {
        return !vms.isEmpty() || !allReservations().isEmpty()
                || profiles.stream().anyMatch(p -> p.macPrefix().isPresent() || p.vendorClass().isPresent());
    }

    /** The share of each subnet's pool addresses unknown clients may hold, in percent, as configured or defaulted. */
    public int unknownClientPoolShare() {
        return dhcp.unknownClients().poolShareFor(knowsSomeClients());
    }

    /**
     * Every fixed address: {@code dhcp.reservations} in order, then each subnet's, then one per VM that has an
     * {@code ip}.
     */
    public List<Reservation> allReservations() {
        List<Reservation> all = new ArrayList<>(dhcp.reservations());
        subnets.forEach(subnet -> all.addAll(subnet.reservations()));
        for (VmRecord vm : vms) {
            vm.ip().ifPresent(ip -> all.add(new Reservation(vm.mac(), ip, vm.hostname())));
        }
        return List.copyOf(all);
    }
}
