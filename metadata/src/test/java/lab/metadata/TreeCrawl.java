package lab.metadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Crawls a tree the way cloud-init's EC2 crawler does (helpers/ec2.py): "x/" is a directory, "N=name" a key whose
 * value is at "N/openssh-key", anything else a leaf. Returns every fetched path → entry (empty when it failed).
 */
public final class TreeCrawl {

    private TreeCrawl() {
    }

    public static Map<String, Optional<MetadataTree.Entry>> crawl(Function<String, Optional<MetadataTree.Entry>> lookup,
                                                                 String directory) {
        Map<String, Optional<MetadataTree.Entry>> fetched = new LinkedHashMap<>();
        crawlInto(lookup, directory, fetched);
        return fetched;
    }

    private static void crawlInto(Function<String, Optional<MetadataTree.Entry>> lookup, String directory,
                                  Map<String, Optional<MetadataTree.Entry>> fetched) {
        Optional<MetadataTree.Entry> listing = lookup.apply(directory);
        fetched.put(directory, listing);
        if (listing.isEmpty()) {
            return;
        }
        List<String> leaves = new ArrayList<>();
        for (String line : listing.get().text().split("\n")) {
            String name = line.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (name.endsWith("/")) {
                crawlInto(lookup, directory + name, fetched);
            } else if (name.matches("\\d+=.*")) {
                leaves.add(name.substring(0, name.indexOf('=')) + "/openssh-key");
            } else {
                leaves.add(name);
            }
        }
        leaves.forEach(leaf -> fetched.put(directory + leaf, lookup.apply(directory + leaf)));
    }
}
