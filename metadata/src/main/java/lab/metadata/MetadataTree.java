package lab.metadata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One flavour's metadata for one instance as a table of path → bytes; directory listings are derived from it.
 *
 * <p>Paths are relative, slash separated, without leading or trailing slash ({@code meta-data/instance-id}). A
 * directory exists only because some leaf lies under it, so a listing never names an entry that does not answer:
 * cloud-init drops the whole EC2 meta-data when one listed entry fails. A directory's listing names its children in
 * insertion order, sub-directories with a trailing {@code /}, unless the directory was given a listing name
 * ({@code public-keys/0} is listed as {@code 0=lab-key}, the form cloud-init reads as an SSH key).
 */
public final class MetadataTree {

    private final Map<String, byte[]> leaves;
    private final Map<String, String> listingNames;

    private MetadataTree(Map<String, byte[]> leaves, Map<String, String> listingNames) {
        this.leaves = leaves;
        this.listingNames = listingNames;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What a path in the tree answers: a leaf's bytes or a directory's listing. */
    public record Entry(byte[] body, boolean directory) {
        public Entry {
            Objects.requireNonNull(body, "body");
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * The entry at a path: a leaf, or a directory (with or without trailing slash; "" is the root). A leaf asked
     * for with a trailing slash is not found, as on EC2.
     */
    public Optional<Entry> lookup(String path) {
        boolean slash = path.endsWith("/");
        String key = strip(path);
        byte[] leaf = leaves.get(key);
        if (leaf != null) {
            return slash ? Optional.empty() : Optional.of(new Entry(leaf.clone(), false));
        }
        List<String> children = children(key);
        if (children.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Entry(String.join("\n", children).getBytes(StandardCharsets.UTF_8), true));
    }

    /** Every leaf path, in insertion order. */
    public Set<String> leafPaths() {
        return leaves.keySet();
    }

    /** The listing lines of a directory ("" is the root); empty when there is no such directory. */
    public List<String> children(String directory) {
        String prefix = directory.isEmpty() ? "" : directory + "/";
        Set<String> names = new LinkedHashSet<>();
        for (String leaf : leaves.keySet()) {
            if (!leaf.startsWith(prefix) || leaf.length() == prefix.length()) {
                continue;
            }
            String rest = leaf.substring(prefix.length());
            int cut = rest.indexOf('/');
            if (cut < 0) {
                names.add(rest);
            } else {
                String child = rest.substring(0, cut);
                names.add(listingNames.getOrDefault(prefix + child, child + "/"));
            }
        }
        return new ArrayList<>(names);
    }

    private static String strip(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }

    /** Collects leaves in the order they should be listed. */
    public static final class Builder {
        private final Map<String, byte[]> leaves = new LinkedHashMap<>();
        private final Map<String, String> listingNames = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder leaf(String path, String value) {
            return leaf(path, value.getBytes(StandardCharsets.UTF_8));
        }

        public Builder leaf(String path, byte[] value) {
            Objects.requireNonNull(value, path);
            String key = strip(path);
            if (key.isEmpty() || !key.equals(path)) {
                throw new IllegalArgumentException("leaf path must be relative without trailing slash: " + path);
            }
            leaves.put(key, value.clone());
            return this;
        }

        /** Lists the directory at {@code path} under {@code name} instead of {@code <last segment>/}. */
        public Builder listAs(String path, String name) {
            listingNames.put(strip(path), name);
            return this;
        }

        /** Adds every leaf of {@code other} under {@code prefix} ("" for none), keeping listing names. */
        public Builder include(String prefix, MetadataTree other) {
            String base = prefix.isEmpty() ? "" : strip(prefix) + "/";
            other.leaves.forEach((path, value) -> leaves.put(base + path, value));
            other.listingNames.forEach((path, name) -> listingNames.put(base + path, name));
            return this;
        }

        public MetadataTree build() {
            Map<String, byte[]> copy = new LinkedHashMap<>();
            leaves.forEach((path, value) -> copy.put(path, Arrays.copyOf(value, value.length)));
            return new MetadataTree(copy, Map.copyOf(listingNames));
        }
    }
}
