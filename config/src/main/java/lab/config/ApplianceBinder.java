package lab.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import lab.config.check.PoolChecks;
import lab.config.check.ReservationChecks;
import lab.config.model.ApplianceConfig;
import lab.config.model.DhcpConfig;
import lab.config.model.NetworkConfig;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Binds the whole document: one binder per top-level section, then the checks that span sections. A new section
 * (metadata, profiles…) is a new key in {@link #KEYS}, a binder of its own, and its cross-section checks here.
 */
final class ApplianceBinder {

    static final List<String> KEYS = List.of("network", "dhcp", "state-dir");

    private final NodeReader nodes;

    ApplianceBinder(NodeReader nodes) {
        this.nodes = nodes;
    }

    /** The config, or empty if anything required is missing or wrong; every problem has been reported either way. */
    Optional<ApplianceConfig> bind(Node document, Path source) {
        Optional<MappingReader> top = nodes.mapping(document, YamlPath.root(), KEYS);
        if (top.isEmpty()) {
            return Optional.empty();
        }
        Optional<NetworkConfig> network = top.get().requiredMapping("network", NetworkBinder.KEYS)
                .flatMap(new NetworkBinder(nodes)::bind);
        Optional<DhcpSection> dhcp = top.get().requiredMapping("dhcp", DhcpBinder.KEYS)
                .map(new DhcpBinder(nodes)::bind);
        Path stateDir = top.get().scalar("state-dir", ScalarTypes.PATH)
                .map(located -> resolveStateDir(source, located.value()))
                .orElse(ApplianceConfig.DEFAULT_STATE_DIR);

        if (network.isPresent() && dhcp.isPresent()) {
            PoolChecks.checkAgainstNetwork(network.get(), dhcp.get().pools(), nodes.problems());
            ReservationChecks.checkAgainstNetwork(network.get(), dhcp.get().reservations(), nodes.sources(),
                    nodes.problems());
        }
        Optional<DhcpConfig> dhcpConfig = dhcp.flatMap(DhcpSection::config);
        if (network.isEmpty() || dhcpConfig.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ApplianceConfig(source, network.get(), dhcpConfig.get(), stateDir));
    }

    // Relative to the config file's directory, so a config and its state can travel together; no file is touched.
    private static Path resolveStateDir(Path source, Path stateDir) {
        Path directory = source.toAbsolutePath().getParent();
        return (directory == null ? stateDir.toAbsolutePath() : directory.resolve(stateDir)).normalize();
    }
}
