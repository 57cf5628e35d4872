package lab.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads free-form {@code meta} values: scalars become Long, Double, Boolean or String the way YAML resolves them
 * (SnakeYAML's own constructors do the number and boolean spellings), lists and maps stay unmodifiable and ordered.
 * Empty values, integers beyond 64 bits and nesting deeper than {@value #MAX_DEPTH} are reported.
 */
final class MetaReader {

    private static final int MAX_DEPTH = 16;

    private final NodeReader nodes;
    private final ScalarConstructor constructor = new ScalarConstructor();

    MetaReader(NodeReader nodes) {
        this.nodes = nodes;
    }

    /** The mapping at {@code node} as ordered key → value; empty when it is not a mapping (reported). */
    Optional<Map<String, Object>> read(Node node, YamlPath path) {
        return nodes.entries(node, path).map(entries -> readEntries(entries, path, 1));
    }

    private Map<String, Object> readEntries(List<MappingEntry> entries, YamlPath path, int depth) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (MappingEntry entry : entries) {
            String key = entry.key().value();
            value(entry.value(), path.key(key), depth).ifPresent(value -> values.put(key, value));
        }
        return Collections.unmodifiableMap(values);
    }

    private Optional<Object> value(Node node, YamlPath path, int depth) {
        Origin origin = Origin.of(path, node);
        if (depth > MAX_DEPTH) {
            nodes.problems().report(origin, "nested deeper than " + MAX_DEPTH + " levels");
            return Optional.empty();
        }
        if (node instanceof MappingNode mapping) {
            return Optional.of(readEntries(nodes.entries(mapping, path), path, depth + 1));
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> items = new ArrayList<>();
            List<Node> values = sequence.getValue();
            for (int i = 0; i < values.size(); i++) {
                value(values.get(i), path.index(i), depth + 1).ifPresent(items::add);
            }
            return Optional.of(Collections.unmodifiableList(items));
        }
        return scalar((ScalarNode) node, origin);
    }

    private Optional<Object> scalar(ScalarNode node, Origin origin) {
        Tag tag = node.getTag();
        if (Tag.NULL.equals(tag)) {
            nodes.problems().report(origin, "missing value (expected a value, a list or a mapping)");
            return Optional.empty();
        }
        if (Tag.INT.equals(tag)) {
            Object number = constructor.construct(node);
            if (number instanceof BigInteger big) {
                nodes.problems().report(origin, big + " is too large (expected a whole number within 64 bits)");
                return Optional.empty();
            }
            return Optional.of(((Number) number).longValue());
        }
        if (Tag.FLOAT.equals(tag)) {
            return Optional.of(((Number) constructor.construct(node)).doubleValue());
        }
        if (Tag.BOOL.equals(tag)) {
            return Optional.of(constructor.construct(node));
        }
        // Strings, and everything else (timestamps, explicit tags), are kept exactly as written.
        return Optional.of(node.getValue());
    }

    /** SnakeYAML's safe constructors, used only for int, float and bool scalars already resolved by tag. */
    private static final class ScalarConstructor extends SafeConstructor {

        ScalarConstructor() {
            super(new LoaderOptions());
        }

        Object construct(Node node) {
            return constructObject(node);
        }
    }
}
