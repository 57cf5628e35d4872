package lab.metadata;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One flavour's trees by protocol version ({@code 2009-04-04/…}, {@code latest/…}); the version list is derived from
 * the same map, one version per line without trailing slash (OpenStack's cloud-init matches the lines verbatim).
 */
public final class VersionedTree {

    private final Map<String, MetadataTree> byVersion;

    public VersionedTree(Map<String, MetadataTree> byVersion) {
        this.byVersion = new LinkedHashMap<>(byVersion);
    }

    /** The version list (for "" or "/"), or the entry at {@code <version>/<path>}. */
    public Optional<MetadataTree.Entry> lookup(String path) {
        String rest = path.startsWith("/") ? path.substring(1) : path;
        if (rest.isEmpty()) {
            byte[] listing = String.join("\n", byVersion.keySet()).getBytes(StandardCharsets.UTF_8);
            return Optional.of(new MetadataTree.Entry(listing, true));
        }
        int cut = rest.indexOf('/');
        String version = cut < 0 ? rest : rest.substring(0, cut);
        MetadataTree tree = byVersion.get(version);
        if (tree == null) {
            return Optional.empty();
        }
        return tree.lookup(cut < 0 ? "" : rest.substring(cut + 1));
    }

    public Map<String, MetadataTree> versions() {
        return Map.copyOf(byVersion);
    }
}
