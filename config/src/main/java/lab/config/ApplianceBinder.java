package lab.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import lab.config.check.InventoryChecks;
import lab.config.check.PoolChecks;
import lab.config.check.ReservationChecks;
import lab.config.check.SubnetChecks;
import lab.config.model.AdminConfig;
import lab.config.model.ApplianceConfig;
import lab.config.model.DeviceProfile;
import lab.config.model.DhcpConfig;
import lab.config.model.DnsConfig;
import lab.config.model.HaConfig;
import lab.config.model.MetadataConfig;
import lab.config.model.NetworkConfig;
import lab.config.model.Reservation;
import lab.config.model.StoreConfig;
import lab.config.model.SubnetConfig;
import lab.config.model.VmRecord;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Binds the whole document: one binder per top-level section, then the checks that span sections (reservations
 * unique across dhcp, subnets and vms; subnets not overlapping). A new section
 * (metadata, profiles…) is a new key in {@link #KEYS}, a binder of its own, and its cross-section checks here.
 */
final class ApplianceBinder {

    static final List<String> KEYS = List.of("network", "dhcp", "subnets", "state-dir", "metadata", "profiles", "vms",
            "admin", "dns", "store", "ha");

    private final NodeReader nodes;

    ApplianceBinder(NodeReader nodes) {
        this.nodes = nodes;
    }

    /** The config, or empty if anything required is missing or wrong; every problem has been reported either way. */
    Optional<ApplianceConfig> bind(Node document, Path source, String sourceText) {
        Optional<MappingReader> top = nodes.mapping(document, YamlPath.root(), KEYS);
        if (top.isEmpty()) {
            return Optional.empty();
        }
        Optional<NetworkConfig> network = top.get().requiredMapping("network", NetworkBinder.KEYS)
                .flatMap(new NetworkBinder(nodes)::bind);
        Optional<DhcpSection> dhcp = top.get().requiredMapping("dhcp", DhcpBinder.KEYS)
                .map(new DhcpBinder(nodes)::bind);
        SubnetBinder.Bound subnets = new SubnetBinder(nodes).bind(top.get(), "subnets");
        Path stateDir = top.get().scalar("state-dir", ScalarTypes.PATH)
                .map(located -> resolveStateDir(source, located.value()))
                .orElse(ApplianceConfig.DEFAULT_STATE_DIR);
        Path directory = configDirectory(source);
        TemplateReader templates = new TemplateReader(nodes, directory, sourceText);
        Optional<MetadataBinder.Section> metadata = top.get().mapping("metadata", MetadataBinder.KEYS)
                .map(new MetadataBinder()::bind);
        List<Located<DeviceProfile>> profiles = top.get().get("profiles")
                .map(node -> new ProfileBinder(nodes, templates).bind(node, YamlPath.root().key("profiles")))
                .orElse(List.of());
        List<Located<VmRecord>> vms = new VmBinder(nodes, templates).bind(top.get(), "vms");
        AdminConfig admin = top.get().mapping("admin", AdminBinder.KEYS)
                .map(new AdminBinder(directory)::bind)
                .orElse(AdminConfig.DEFAULTS);
        Optional<MappingReader> storeSection = top.get().mapping("store", StoreBinder.KEYS);
        Optional<StoreConfig> store = storeSection.isEmpty() ? Optional.of(StoreConfig.JOURNAL)
                : new StoreBinder(nodes.problems(), directory).bind(storeSection.get());
        Optional<MappingReader> haSection = top.get().mapping("ha", HaBinder.KEYS);
        Optional<HaConfig> ha = haSection.flatMap(new HaBinder(nodes.problems())::bind);
        if (haSection.isPresent() && store.isPresent() && store.get().kind() != StoreConfig.Kind.POSTGRESQL) {
            nodes.problems().report(haSection.get().origin(), "an active/standby pair shares its leases through"
                    + " PostgreSQL (expected a store section with \"kind: postgresql\" and its url)");
        }
        Optional<MappingReader> dnsSection = top.get().mapping("dns", DnsBinder.KEYS);
        DnsConfig dns = dnsSection.map(new DnsBinder()::bind).orElse(DnsConfig.OFF);
        if (dns.enabled() && network.isPresent() && network.get().domain().isEmpty()) {
            nodes.problems().report(dnsSection.get().origin(), "DNS needs the lab's domain: set network.domain "
                    + "(expected e.g. \"domain: lab.internal\" under network, or \"enabled: false\" here)");
        }

        Set<String> profileNames = new LinkedHashSet<>();
        profiles.forEach(profile -> profileNames.add(profile.value().name()));
        InventoryChecks.checkProfileNames(profileNames, vms,
                metadata.flatMap(MetadataBinder.Section::defaultProfile), nodes.sources(), nodes.problems());
        List<Located<Reservation>> reservations = allReservations(dhcp, subnets);
        ReservationChecks.checkUnique(reservations, nodes.sources(), nodes.problems());
        InventoryChecks.checkUnique(reservations, vms, nodes.sources(), nodes.problems());
        SubnetChecks.checkOverlaps(network, subnets.subnets(), nodes.sources(), nodes.problems());

        if (network.isPresent() && dhcp.isPresent()) {
            PoolChecks.checkAgainstNetwork(network.get(), dhcp.get().pools(), nodes.problems());
            ReservationChecks.checkAgainstNetwork(network.get(), dhcp.get().reservations(), nodes.sources(),
                    nodes.problems());
            InventoryChecks.checkAgainstNetwork(network.get(), dhcp.get().pools(), vms, nodes.sources(),
                    nodes.problems());
        }
        Optional<DhcpConfig> dhcpConfig = dhcp.flatMap(DhcpSection::config);
        if (network.isEmpty() || dhcpConfig.isEmpty() || store.isEmpty() || (haSection.isPresent() && ha.isEmpty())) {
            return Optional.empty();
        }
        // With DNS on, clients (on every segment) are told to ask the appliance unless the file names other servers.
        NetworkConfig served = dns.enabled() && network.get().dns().isEmpty()
                ? network.get().withDns(List.of(network.get().address())) : network.get();
        List<SubnetConfig> relayed = subnets.subnets().stream().map(Located::value)
                .map(subnet -> dns.enabled() ? subnet.withDnsDefaults(served.dns(), served.domain()) : subnet)
                .toList();
        return Optional.of(new ApplianceConfig(source, served, dhcpConfig.get(), relayed, stateDir,
                metadata.map(MetadataBinder.Section::config).orElse(MetadataConfig.DEFAULTS),
                profiles.stream().map(Located::value).toList(), vms.stream().map(Located::value).toList(), admin,
                dns, store.get(), ha));
    }

    // In file order, so a repeat is always reported at the later one, whichever section it is in.
    private static List<Located<Reservation>> allReservations(Optional<DhcpSection> dhcp, SubnetBinder.Bound subnets) {
        List<Located<Reservation>> all = new ArrayList<>(dhcp.map(DhcpSection::reservations).orElse(List.of()));
        all.addAll(subnets.reservations());
        all.sort(Comparator.comparingInt((Located<Reservation> r) -> r.origin().line())
                .thenComparingInt(r -> r.origin().column()));
        return all;
    }

    // Relative to the config file's directory, so a config and its state can travel together; no file is touched.
    private static Path resolveStateDir(Path source, Path stateDir) {
        return configDirectory(source).resolve(stateDir).normalize();
    }

    // Template files and the admin token file are found the same way: beside the config file.
    private static Path configDirectory(Path source) {
        Path directory = source.toAbsolutePath().getParent();
        return directory == null ? Path.of("").toAbsolutePath() : directory;
    }
}
