package lab.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import lab.config.model.ApplianceConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads an appliance config file into a validated {@link ApplianceConfig}, or fails with every problem found.
 *
 * <p>Two steps: SnakeYAML composes a node tree that keeps line and column marks (a syntax error stops here, as the
 * tree after it cannot be trusted); then the binders walk the tree, reading each section and running the checks,
 * collecting problems instead of stopping at the first. Nothing but the named file is read.
 */
public final class ConfigLoader {

    /** Reads {@code file} (UTF-8) and loads it; problems name the file as {@code file.toString()}. */
    public ApplianceConfig load(Path file) throws ConfigException {
        return loadWithSources(file).config();
    }

    /** As {@link #load(Path)}, keeping where each value was written, for problems found later (host checks). */
    public LoadedConfig loadWithSources(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw wholeFile(file.toString(), "is not UTF-8 text", e);
        } catch (IOException e) {
            throw wholeFile(file.toString(), "cannot be read: " + e, e);
        }
        return load(file, file.toString(), text);
    }

    /** Loads {@code yamlText} as if read from a file called {@code fileName} (for tests and documentation). */
    public ApplianceConfig load(String fileName, String yamlText) throws ConfigException {
        return load(Path.of(fileName), fileName, yamlText).config();
    }

    private LoadedConfig load(Path source, String fileName, String yamlText) throws ConfigException {
        Problems problems = new Problems(fileName);
        Optional<Node> document = compose(yamlText, problems);
        if (problems.isEmpty() && document.isEmpty()) {
            problems.report(new Origin(YamlPath.root(), 1, 1),
                    "the file is empty (expected a mapping with keys: " + String.join(", ", ApplianceBinder.KEYS)
                            + ")");
        }
        NodeReader reader = new NodeReader(problems);
        Optional<ApplianceConfig> config = document.flatMap(root -> new ApplianceBinder(reader).bind(root, source));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.sorted());
        }
        return new LoadedConfig(config.orElseThrow(() -> new IllegalStateException(
                "binding " + fileName + " failed without reporting a problem")), reader.sources(), fileName);
    }

    private static Optional<Node> compose(String yamlText, Problems problems) {
        try {
            // A fresh Yaml per load: SnakeYAML instances are not thread-safe.
            return Optional.ofNullable(new Yaml(new LoaderOptions()).compose(new StringReader(yamlText)));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String message = e.getContext() == null ? e.getProblem() : e.getProblem() + " (" + e.getContext() + ")";
            problems.reportSyntax(mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1,
                    message);
        } catch (YAMLException e) {
            problems.reportSyntax(1, 1, e.getMessage());
        }
        return Optional.empty();
    }

    private static ConfigException wholeFile(String fileName, String message, Exception cause) {
        return new ConfigException(List.of(new ConfigProblem(fileName, 0, 0, "(file)", message)), cause);
    }
}
