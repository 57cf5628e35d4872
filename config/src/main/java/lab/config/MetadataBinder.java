package lab.config;

import java.util.List;
import java.util.Optional;
import lab.config.model.ImdsTokens;
import lab.config.model.MetadataConfig;

/** Binds the {@code metadata} section; its {@code default-profile} is checked against the profiles by the caller. */
final class MetadataBinder {

    static final List<String> KEYS = List.of("link-local", "password-server", "imds-tokens", "availability-zone",
            "default-profile");

    /** The bound section and where its default profile was named, if it was. */
    record Section(MetadataConfig config, Optional<Located<String>> defaultProfile) {
    }

    Section bind(MappingReader metadata) {
        boolean linkLocal = metadata.scalar("link-local", ScalarTypes.BOOLEAN).map(Located::value).orElse(true);
        boolean passwordServer = metadata.scalar("password-server", ScalarTypes.BOOLEAN).map(Located::value)
                .orElse(true);
        ImdsTokens imdsTokens = metadata.scalar("imds-tokens", ScalarTypes.IMDS_TOKENS).map(Located::value)
                .orElse(ImdsTokens.OPTIONAL);
        String zone = metadata.scalar("availability-zone", ScalarTypes.ZONE).map(Located::value)
                .orElse(MetadataConfig.DEFAULT_AVAILABILITY_ZONE);
        Optional<Located<String>> defaultProfile = metadata.scalar("default-profile", ScalarTypes.PROFILE_NAME);
        return new Section(new MetadataConfig(linkLocal, passwordServer, imdsTokens, zone,
                defaultProfile.map(Located::value)), defaultProfile);
    }
}
