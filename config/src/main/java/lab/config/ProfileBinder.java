package lab.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lab.config.model.Datasource;
import lab.config.model.DeviceProfile;
import lab.config.model.ImdsTokens;
import lab.config.model.TemplateText;
import org.yaml.snakeyaml.nodes.Node;

/** Binds the {@code profiles} section: a mapping from profile name to what VMs of that profile get. */
final class ProfileBinder {

    static final List<String> KEYS = List.of("match", "hostname", "ssh-keys", "user-data", "user-data-file",
            "vendor-data", "vendor-data-file", "meta", "imds-tokens", "datasource");
    static final List<String> MATCH_KEYS = List.of("mac-prefix", "vendor-class");

    private final NodeReader nodes;
    private final TemplateReader templates;

    ProfileBinder(NodeReader nodes, TemplateReader templates) {
        this.nodes = nodes;
        this.templates = templates;
    }

    /** Each well-formed profile with where its name was written; a bad one is reported and left out. */
    List<Located<DeviceProfile>> bind(Node section, YamlPath path) {
        List<Located<DeviceProfile>> profiles = new ArrayList<>();
        for (MappingEntry entry : nodes.entries(section, path).orElse(List.of())) {
            boolean goodName = checkName(entry.key());
            YamlPath profilePath = path.key(entry.key().value());
            nodes.mapping(entry.value(), profilePath, KEYS)
                    .flatMap(profile -> bindOne(entry.key().value(), profile))
                    .filter(profile -> goodName)
                    .ifPresent(profile -> profiles.add(new Located<>(profile, entry.key().origin())));
        }
        return profiles;
    }

    private Optional<DeviceProfile> bindOne(String name, MappingReader profile) {
        Optional<MappingReader> match = profile.mapping("match", MATCH_KEYS);
        Optional<String> macPrefix = match.flatMap(m -> m.scalar("mac-prefix", ScalarTypes.MAC_PREFIX))
                .map(Located::value);
        Optional<String> vendorClass = match.flatMap(m -> m.scalar("vendor-class", ScalarTypes.TEXT))
                .map(Located::value);
        Optional<TemplateText> hostname = templates.inline(profile, "hostname");
        List<String> sshKeys = profile.scalarList("ssh-keys", ScalarTypes.SSH_KEY).orElse(List.of()).stream()
                .map(Located::value).toList();
        Optional<TemplateText> userData = templates.inlineOrFile(profile, "user-data");
        Optional<TemplateText> vendorData = templates.inlineOrFile(profile, "vendor-data");
        Map<String, Object> meta = profile.get("meta")
                .flatMap(node -> new MetaReader(nodes).read(node, profile.path().key("meta")))
                .orElse(Map.of());
        Optional<ImdsTokens> imdsTokens = profile.scalar("imds-tokens", ScalarTypes.IMDS_TOKENS).map(Located::value);
        Optional<Datasource> datasource = profile.scalar("datasource", ScalarTypes.DATASOURCE).map(Located::value);
        return Optional.of(new DeviceProfile(name, macPrefix, vendorClass, hostname, sshKeys, userData, vendorData,
                meta, imdsTokens, datasource));
    }

    private boolean checkName(Located<String> name) {
        try {
            ScalarTypes.PROFILE_NAME.parser().parse(name.value());
            return true;
        } catch (InvalidValueException e) {
            nodes.problems().report(name.origin(), e.getMessage());
            return false;
        }
    }
}
