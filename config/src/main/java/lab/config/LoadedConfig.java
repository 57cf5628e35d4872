package lab.config;

import java.util.Objects;
import lab.config.model.ApplianceConfig;

/**
 * A loaded config together with where each value was written, so that problems found after loading (the
 * appliance's host checks) are reported in the same {@code file:line:column: path: message} form.
 */
public record LoadedConfig(ApplianceConfig config, SourceMap sources, String fileName) {

    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(fileName, "fileName");
    }

    /**
     * A problem about the value at {@code yamlPath} (as printed, e.g. {@code network.interface}); a key that was
     * not written (a default) is reported at the top of the file.
     */
    public ConfigProblem problemAt(String yamlPath, String message) {
        return sources.at(yamlPath)
                .map(o -> new ConfigProblem(fileName, o.line(), o.column(), yamlPath, message))
                .orElseGet(() -> new ConfigProblem(fileName, 1, 1, yamlPath, message));
    }
}
