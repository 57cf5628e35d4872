package lab.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * One YAML mapping with a fixed set of allowed keys. On creation it reports unknown keys and duplicate keys
 * (SnakeYAML's composer keeps both copies of a duplicate; the first one counts), both at the key itself.
 * Values are then read by key, and a missing required key is reported at the mapping.
 */
public final class MappingReader {

    private final MappingNode node;
    private final YamlPath path;
    private final NodeReader nodes;
    private final Map<String, Node> values = new LinkedHashMap<>();

    MappingReader(MappingNode node, YamlPath path, List<String> allowedKeys, NodeReader nodes) {
        this.node = node;
        this.path = path;
        this.nodes = nodes;
        Map<String, Integer> keyLines = new LinkedHashMap<>();
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            Origin keyOrigin = Origin.of(path, keyNode);
            if (!(keyNode instanceof ScalarNode scalarKey)) {
                nodes.problems().report(keyOrigin, "expected a key name, found " + NodeReader.kindOf(keyNode));
                continue;
            }
            String key = scalarKey.getValue();
            if (keyLines.containsKey(key)) {
                nodes.problems().report(keyOrigin, "duplicate key " + ConfigProblem.quote(key)
                        + " (first given at line " + keyLines.get(key) + ")");
                continue;
            }
            keyLines.put(key, keyOrigin.line());
            if (!allowedKeys.contains(key)) {
                nodes.problems().report(keyOrigin, "unknown key " + ConfigProblem.quote(key) + " (expected one of: "
                        + String.join(", ", allowedKeys) + ")");
                continue;
            }
            values.put(key, tuple.getValueNode());
        }
    }

    /** The path of this mapping. */
    public YamlPath path() {
        return path;
    }

    /** Where this mapping starts. */
    public Origin origin() {
        return Origin.of(path, node);
    }

    /** Whether {@code key} was given (with any value). */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The value node of {@code key}, if given. */
    public Optional<Node> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The value node of {@code key}; reports it missing if it was not given. */
    public Optional<Node> require(String key) {
        Optional<Node> value = get(key);
        if (value.isEmpty()) {
            nodes.problems().report(origin(), "missing required key " + ConfigProblem.quote(key));
        }
        return value;
    }

    /** The optional scalar at {@code key}, parsed as {@code type}. */
    public <T> Optional<Located<T>> scalar(String key, ScalarType<T> type) {
        return get(key).flatMap(value -> nodes.scalar(value, path.key(key), type));
    }

    /** The required scalar at {@code key}, parsed as {@code type}. */
    public <T> Optional<Located<T>> requiredScalar(String key, ScalarType<T> type) {
        return require(key).flatMap(value -> nodes.scalar(value, path.key(key), type));
    }

    /** The optional list of scalars at {@code key}; empty when absent (absence is not a problem). */
    public <T> Optional<List<Located<T>>> scalarList(String key, ScalarType<T> type) {
        return get(key).flatMap(value -> nodes.scalarList(value, path.key(key), type));
    }

    /** The optional nested mapping at {@code key}. */
    public Optional<MappingReader> mapping(String key, List<String> allowedKeys) {
        return get(key).flatMap(value -> nodes.mapping(value, path.key(key), allowedKeys));
    }

    /** The required nested mapping at {@code key}. */
    public Optional<MappingReader> requiredMapping(String key, List<String> allowedKeys) {
        return require(key).flatMap(value -> nodes.mapping(value, path.key(key), allowedKeys));
    }

    /** The optional list at {@code key}, each item with its path. */
    public Optional<List<Located<Node>>> sequence(String key) {
        return get(key).flatMap(value -> nodes.sequence(value, path.key(key)));
    }

    /** The required list at {@code key}, each item with its path. */
    public Optional<List<Located<Node>>> requiredSequence(String key) {
        return require(key).flatMap(value -> nodes.sequence(value, path.key(key)));
    }
}
