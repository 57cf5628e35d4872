package lab.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetadataTreeTest {

    private final MetadataTree tree = MetadataTree.builder()
        .leaf("meta-data/instance-id", "i-1")
        .leaf("meta-data/public-keys/0/openssh-key", "ssh-ed25519 AAAA")
        .listAs("meta-data/public-keys/0", "0=ops")
        .leaf("meta-data/placement/availability-zone", "lab-1a")
        .leaf("user-data", "#cloud-config")
        .build();

    @Test
    void listingsAreDerivedInInsertionOrderWithSlashForDirectories() {
        assertThat(tree.lookup("").orElseThrow().text()).isEqualTo("meta-data/\nuser-data");
        assertThat(tree.lookup("meta-data/").orElseThrow().text())
            .isEqualTo("instance-id\npublic-keys/\nplacement/");
    }

    @Test
    void directoryAnswersWithAndWithoutTrailingSlash() {
        assertThat(tree.lookup("meta-data/placement").orElseThrow().text()).isEqualTo("availability-zone");
        assertThat(tree.lookup("meta-data/placement/").orElseThrow().directory()).isTrue();
    }

    @Test
    void listingNameReplacesTheDirectoryEntryAndTheDirectoryStillAnswers() {
        assertThat(tree.lookup("meta-data/public-keys/").orElseThrow().text()).isEqualTo("0=ops");
        assertThat(tree.lookup("meta-data/public-keys/0/").orElseThrow().text()).isEqualTo("openssh-key");
        assertThat(tree.lookup("meta-data/public-keys/0/openssh-key").orElseThrow().text())
            .isEqualTo("ssh-ed25519 AAAA");
    }

    @Test
    void unknownPathsAndLeavesWithTrailingSlashAreNotFound() {
        assertThat(tree.lookup("meta-data/nothing")).isEmpty();
        assertThat(tree.lookup("meta-data/instance-id/")).isEmpty();
        assertThat(tree.lookup("meta")).isEmpty();
    }

    @Test
    void leafPathsMustBeRelative() {
        assertThatThrownBy(() -> MetadataTree.builder().leaf("/x", "y"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/x");
    }
}
