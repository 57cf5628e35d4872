package lab.metadata.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import lab.metadata.Instance;
import lab.metadata.MetadataTree;
import lab.metadata.TestInstances;
import lab.metadata.TreeCrawl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Ec2MetadataTreeTest {

    static Stream<Instance> instances() {
        return Stream.of(TestInstances.full("192.0.2.17"), TestInstances.bare("192.0.2.42"));
    }

    @ParameterizedTest
    @MethodSource("instances")
    void everyListedEntryAnswersAndNoLeafEndsWithNewline(Instance instance) {
        MetadataTree tree = Ec2MetadataTree.forInstance(instance);
        Map<String, Optional<MetadataTree.Entry>> crawl = TreeCrawl.crawl(tree::lookup, "meta-data/");
        assertThat(crawl).allSatisfy((path, entry) -> assertThat(entry).as(path).isPresent());
        crawl.forEach((path, entry) -> {
            if (!entry.get().directory()) {
                assertThat(entry.get().text()).as(path).doesNotEndWith("\n");
            }
        });
        tree.leafPaths().stream().filter(path -> !path.equals("user-data"))
            .forEach(path -> assertThat(tree.lookup(path).orElseThrow().text()).as(path).doesNotContain("\n"));
        assertThat(crawl.get("meta-data/instance-id").orElseThrow().text()).isEqualTo(instance.instanceId());
    }

    @Test
    void publicKeysAreListedAsIndexEqualsName() {
        MetadataTree tree = Ec2MetadataTree.forInstance(TestInstances.full("192.0.2.17"));
        assertThat(tree.lookup("meta-data/public-keys/").orElseThrow().text()).isEqualTo("0=ops@lab\n1=key-2");
        assertThat(tree.lookup("meta-data/public-keys/1/openssh-key").orElseThrow().text())
            .isEqualTo("ssh-rsa AAAAB3Nza");
    }

    @Test
    void withoutKeysOrUserDataNeitherIsListed() {
        MetadataTree tree = Ec2MetadataTree.forInstance(TestInstances.bare("192.0.2.42"));
        assertThat(tree.lookup("meta-data/").orElseThrow().text()).doesNotContain("public-keys");
        assertThat(tree.lookup("").orElseThrow().text()).isEqualTo("meta-data/\ndynamic/");
        assertThat(tree.lookup("user-data")).isEmpty();
    }

    @Test
    void userDataIsServedByteForByte() {
        Instance instance = TestInstances.full("192.0.2.17");
        assertThat(Ec2MetadataTree.forInstance(instance).lookup("user-data").orElseThrow().body())
            .isEqualTo(instance.userData().orElseThrow());
    }

    @Test
    void everyNicIsListedUnderMacsThePrimaryFirst() {
        MetadataTree tree = Ec2MetadataTree.forInstance(TestInstances.full("192.0.2.17"));
        assertThat(tree.lookup("meta-data/network/interfaces/macs/").orElseThrow().text())
            .isEqualTo("02:00:00:00:00:17/\n02:00:00:00:01:17/");
        String nic = "meta-data/network/interfaces/macs/02:00:00:00:00:17/";
        assertThat(tree.lookup(nic + "device-number").orElseThrow().text()).isEqualTo("0");
        assertThat(tree.lookup(nic + "local-ipv4s").orElseThrow().text()).isEqualTo("192.0.2.17");
        assertThat(tree.lookup(nic + "subnet-ipv4-cidr-block").orElseThrow().text()).isEqualTo("192.0.2.0/24");
        String extra = "meta-data/network/interfaces/macs/02:00:00:00:01:17/";
        assertThat(tree.lookup(extra + "device-number").orElseThrow().text()).isEqualTo("1");
        assertThat(tree.lookup(extra + "local-ipv4s").orElseThrow().text()).isEqualTo("198.51.100.17");
        assertThat(tree.lookup(extra + "subnet-ipv4-cidr-block").orElseThrow().text()).isEqualTo("198.51.100.0/24");
    }

    @Test
    void everyNicIsInOneVpcSoCloudInitNeverTakesTheVmForEc2Classic() {
        MetadataTree tree = Ec2MetadataTree.forInstance(TestInstances.full("192.0.2.17"));
        String nic = "meta-data/network/interfaces/macs/02:00:00:00:00:17/";
        String extra = "meta-data/network/interfaces/macs/02:00:00:00:01:17/";
        assertThat(tree.lookup(nic).orElseThrow().text().lines()).contains("vpc-id", "subnet-id", "interface-id");
        assertThat(tree.lookup(nic + "vpc-id").orElseThrow().text()).isEqualTo("vpc-c000020018");
        assertThat(tree.lookup(extra + "vpc-id").orElseThrow().text()).isEqualTo("vpc-c000020018");
        assertThat(tree.lookup(nic + "vpc-ipv4-cidr-block").orElseThrow().text()).isEqualTo("192.0.2.0/24");
        assertThat(tree.lookup(nic + "subnet-id").orElseThrow().text()).isEqualTo("subnet-c000020018");
        assertThat(tree.lookup(extra + "subnet-id").orElseThrow().text()).isEqualTo("subnet-c633640018");
        assertThat(tree.lookup(nic + "interface-id").orElseThrow().text()).isEqualTo("eni-020000000017");
    }

    @Test
    void regionAndBlockDevicesAreNotServed() {
        MetadataTree tree = Ec2MetadataTree.forInstance(TestInstances.full("192.0.2.17"));
        assertThat(tree.lookup("meta-data/placement/").orElseThrow().text()).isEqualTo("availability-zone");
        assertThat(tree.lookup("meta-data/block-device-mapping/")).isEmpty();
    }

    @Test
    void identityDocumentIsJsonWithInstanceIdAndZone() throws Exception {
        MetadataTree tree = Ec2MetadataTree.forInstance(TestInstances.full("192.0.2.17"));
        assertThat(tree.lookup("dynamic/instance-identity").orElseThrow().text()).isEqualTo("document");
        JsonNode document = new ObjectMapper().readTree(
            tree.lookup("dynamic/instance-identity/document").orElseThrow().body());
        assertThat(document.get("instanceId").asText()).isEqualTo("i-0000000000000017");
        assertThat(document.get("availabilityZone").asText()).isEqualTo("lab-1a");
        assertThat(document.get("privateIp").asText()).isEqualTo("192.0.2.17");
    }
}
