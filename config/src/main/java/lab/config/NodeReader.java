package lab.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads composed YAML nodes as mappings, lists and typed scalars. Every reader reports what is wrong to
 * {@link Problems} and returns {@code Optional.empty()}, so binding goes on and all problems are found in one run.
 */
public final class NodeReader {

    private final Problems problems;
    private final SourceMap sources = new SourceMap();

    public NodeReader(Problems problems) {
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    /** Where the problems go. */
    public Problems problems() {
        return problems;
    }

    /** Where every scalar read so far was written. */
    public SourceMap sources() {
        return sources;
    }

    /** Reads {@code node} as a mapping whose keys must be among {@code allowedKeys}. */
    public Optional<MappingReader> mapping(Node node, YamlPath path, List<String> allowedKeys) {
        if (node instanceof MappingNode mapping) {
            return Optional.of(new MappingReader(mapping, path, allowedKeys, this));
        }
        reportWrongKind(node, path, "a mapping");
        return Optional.empty();
    }

    /** Reads {@code node} as a list; each item comes with its own path, {@code pools[0]}, {@code pools[1]}…. */
    public Optional<List<Located<Node>>> sequence(Node node, YamlPath path) {
        if (!(node instanceof SequenceNode sequence)) {
            reportWrongKind(node, path, "a list");
            return Optional.empty();
        }
        List<Located<Node>> items = new ArrayList<>();
        List<Node> values = sequence.getValue();
        for (int i = 0; i < values.size(); i++) {
            YamlPath itemPath = path.index(i);
            items.add(new Located<>(values.get(i), Origin.of(itemPath, values.get(i))));
        }
        return Optional.of(items);
    }

    /** Reads {@code node} as a scalar of {@code type}; its text is parsed as written, whatever YAML tag it got. */
    public <T> Optional<Located<T>> scalar(Node node, YamlPath path, ScalarType<T> type) {
        if (!(node instanceof ScalarNode scalar) || isNull(node)) {
            reportWrongKind(node, path, type.description());
            return Optional.empty();
        }
        Origin origin = Origin.of(path, node);
        sources.record(origin);
        try {
            return Optional.of(new Located<>(type.parser().parse(scalar.getValue()), origin));
        } catch (InvalidValueException e) {
            problems.report(origin, e.getMessage());
            return Optional.empty();
        }
    }

    /** Each item of the list at {@code node} read as a scalar of {@code type}; empty if any item is wrong. */
    public <T> Optional<List<Located<T>>> scalarList(Node node, YamlPath path, ScalarType<T> type) {
        Optional<List<Located<Node>>> items = sequence(node, path);
        if (items.isEmpty()) {
            return Optional.empty();
        }
        List<Located<T>> values = new ArrayList<>();
        boolean complete = true;
        for (Located<Node> item : items.get()) {
            Optional<Located<T>> value = scalar(item.value(), item.origin().path(), type);
            value.ifPresent(values::add);
            complete &= value.isPresent();
        }
        return complete ? Optional.of(values) : Optional.empty();
    }

    private void reportWrongKind(Node node, YamlPath path, String expected) {
        Origin origin = Origin.of(path, node);
        if (isNull(node)) {
            problems.report(origin, "missing value (expected " + expected + ")");
        } else {
            problems.report(origin, "expected " + expected + ", found " + kindOf(node));
        }
    }

    // A key written with nothing after it (`router:`) or `~`/`null` composes to a scalar tagged null.
    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    static String kindOf(Node node) {
        return switch (node.getNodeId()) {
            case mapping -> "a mapping";
            case sequence -> "a list";
            case scalar -> "a single value";
            case anchor -> "an anchor";
        };
    }
}
