package lab.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Where each scalar read from the config was written, by YAML path, so cross-field checks can point at values. */
public final class SourceMap {

    private final Map<YamlPath, Origin> origins = new HashMap<>();

    void record(Origin origin) {
        origins.put(origin.path(), origin);
    }

    /** The origin of the scalar at the path printed as {@code path} (e.g. {@code dhcp.pools[0]}), if one was read there. */
    public Optional<Origin> at(String path) {
        return origins.values().stream().filter(o -> o.path().toString().equals(path)).findFirst();
    }

    /** The origin of the scalar at {@code path}, if one was read there. */
    public Optional<Origin> at(YamlPath path) {
        return Optional.ofNullable(origins.get(path));
    }
}
