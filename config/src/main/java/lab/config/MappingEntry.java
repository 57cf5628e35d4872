package lab.config;

import java.util.Objects;
import org.yaml.snakeyaml.nodes.Node;

/** One entry of a mapping whose keys the user names: the key with where it was written, and its value node. */
public record MappingEntry(Located<String> key, Node value) {

    public MappingEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
