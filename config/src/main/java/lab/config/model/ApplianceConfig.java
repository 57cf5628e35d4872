package lab.config.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The whole validated appliance configuration. YAML top-level keys: {@code network} (required,
 * {@link NetworkConfig}), {@code dhcp} (required, {@link DhcpConfig}) and {@code state-dir} (optional, default
 * {@code /var/lib/appliance}; a relative path is taken from the config file's directory).
 *
 * @param source the config file as the caller named it
 * @param stateDir absolute and normalised
 */
public record ApplianceConfig(Path source, NetworkConfig network, DhcpConfig dhcp, Path stateDir) {

    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/appliance");

    public ApplianceConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(dhcp, "dhcp");
        Objects.requireNonNull(stateDir, "stateDir");
    }

    /** The same config with its state kept in {@code dir} (the CLI's {@code --state-dir}). */
    public ApplianceConfig withStateDir(Path dir) {
        return new ApplianceConfig(source, network, dhcp, dir.toAbsolutePath().normalize());
    }
}
