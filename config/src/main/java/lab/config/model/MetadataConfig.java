package lab.config.model;

import java.util.Objects;
import java.util.Optional;

/**
 * How the metadata service answers. YAML section {@code metadata} (optional as a whole): {@code link-local}
 * (default true: also serve 169.254.169.254), {@code password-server} (default true: CloudStack password server on
 * port 8080), {@code imds-tokens} ({@code optional} or {@code required}, default optional), {@code availability-zone}
 * (default {@code lab}) and {@code default-profile} (the profile for VMs no match rule catches).
 */
public record MetadataConfig(boolean linkLocal, boolean passwordServer, ImdsTokens imdsTokens,
        String availabilityZone, Optional<String> defaultProfile) {

    public static final String DEFAULT_AVAILABILITY_ZONE = "lab";

    /** What an absent {@code metadata} section means. */
    public static final MetadataConfig DEFAULTS =
            new MetadataConfig(true, true, ImdsTokens.OPTIONAL, DEFAULT_AVAILABILITY_ZONE, Optional.empty());

    public MetadataConfig {
        Objects.requireNonNull(imdsTokens, "imdsTokens");
        Objects.requireNonNull(availabilityZone, "availabilityZone");
        Objects.requireNonNull(defaultProfile, "defaultProfile");
    }
}
