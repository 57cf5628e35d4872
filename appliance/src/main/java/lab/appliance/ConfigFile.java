package lab.appliance;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import lab.config.ConfigException;
import lab.config.ConfigLoader;
import lab.config.ConfigProblem;
import lab.config.LoadedConfig;
import lab.config.model.ApplianceConfig;
import lab.metadata.userdata.UserDataRenderer;

/** What {@code run} and {@code check-config} both load: the config, its checks, and its templates rendered once. */
public final class ConfigFile {

    private ConfigFile() {
    }

    public static LoadedConfig load(Path file) throws ConfigException {
        LoadedConfig loaded = new ConfigLoader().loadWithSources(file);
        checkTemplates(loaded.config());
        return loaded;
    }

    /** Loads {@code yamlText} as if read from {@code fileName}, with the same checks (the admin API's edits). */
    public static ApplianceConfig load(String fileName, String yamlText) throws ConfigException {
        ApplianceConfig config = new ConfigLoader().load(fileName, yamlText);
        checkTemplates(config);
        return config;
    }

    private static void checkTemplates(ApplianceConfig config) throws ConfigException {
        List<ConfigProblem> problems = new TemplateChecks(new UserDataRenderer()).check(config);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.stream()
                    .sorted(Comparator.comparing(ConfigProblem::file).thenComparingInt(ConfigProblem::line)
                            .thenComparingInt(ConfigProblem::column))
                    .toList());
        }
    }
}
