package lab.metadata.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import lab.metadata.MetadataTree;
import lab.metadata.TestInstances;
import lab.metadata.TreeCrawl;
import org.junit.jupiter.api.Test;

class CloudStackMetadataTreeTest {

    private final MetadataTree tree = CloudStackMetadataTree.forInstance(TestInstances.full("192.0.2.17"));

    @Test
    void availabilityZoneAndInstanceIdAreAtTheTopOfMetaData() {
        assertThat(Arrays.asList(tree.lookup("meta-data/").orElseThrow().text().split("\n")))
            .contains("instance-id", "availability-zone", "vm-id", "local-hostname", "local-ipv4", "public-hostname",
                "public-ipv4", "service-offering", "cloud-identifier", "public-keys/");
        assertThat(tree.lookup("meta-data/availability-zone").orElseThrow().text()).isEqualTo("lab-1a");
    }

    @Test
    void everyListedEntryAnswersWithoutTrailingNewline() {
        Map<String, Optional<MetadataTree.Entry>> crawl = TreeCrawl.crawl(tree::lookup, "meta-data/");
        assertThat(crawl).allSatisfy((path, entry) -> {
            assertThat(entry).as(path).isPresent();
            assertThat(entry.get().text()).as(path).doesNotEndWith("\n");
        });
        assertThat(crawl).containsKeys("meta-data/public-keys/0/openssh-key", "meta-data/placement/availability-zone");
    }

    @Test
    void serviceOfferingIsOnlyListedWithAProfile() {
        MetadataTree bare = CloudStackMetadataTree.forInstance(TestInstances.bare("192.0.2.42"));
        assertThat(bare.lookup("meta-data/").orElseThrow().text()).doesNotContain("service-offering");
        assertThat(tree.lookup("meta-data/service-offering").orElseThrow().text()).isEqualTo("web");
    }
}
