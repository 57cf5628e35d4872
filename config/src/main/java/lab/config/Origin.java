package lab.config;

import java.util.Objects;
import org.yaml.snakeyaml.nodes.Node;

/** Where a value came from: its YAML path and the 1-based line and column of its node. */
public record Origin(YamlPath path, int line, int column) {

    public Origin {
        Objects.requireNonNull(path, "path");
    }

    /** The origin of {@code node}, found at {@code path}; SnakeYAML marks count from 0. */
    static Origin of(YamlPath path, Node node) {
        var mark = node.getStartMark();
        return new Origin(path, mark.getLine() + 1, mark.getColumn() + 1);
    }
}
