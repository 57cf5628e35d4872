package lab.metadata.openstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import lab.metadata.VersionedTree;
import lab.metadata.TestInstances;
import org.junit.jupiter.api.Test;

class OpenStackMetadataTreeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final VersionedTree full = OpenStackMetadataTree.forInstance(TestInstances.full("192.0.2.17"));
    private final VersionedTree bare = OpenStackMetadataTree.forInstance(TestInstances.bare("192.0.2.42"));

    private JsonNode json(VersionedTree tree, String path) throws Exception {
        return JSON.readTree(tree.lookup(path).orElseThrow().body());
    }

    @Test
    void versionListIsOnePlainVersionPerLineAndEachAnswers() {
        List<String> versions = List.of(full.lookup("").orElseThrow().text().split("\n"));
        assertThat(versions).contains("2018-08-27", "latest").allSatisfy(v -> assertThat(v).doesNotEndWith("/"));
        versions.forEach(v -> assertThat(full.lookup(v + "/meta_data.json")).as(v).isPresent());
    }

    @Test
    void metaDataHasUuidKeysAndZone() throws Exception {
        JsonNode meta = json(full, "2018-08-27/meta_data.json");
        assertThat(meta.get("uuid").asText()).isEqualTo("i-0000000000000017");
        assertThat(meta.get("hostname").asText()).isEqualTo("vm17.example.org");
        assertThat(meta.get("name").asText()).isEqualTo("vm17");
        assertThat(meta.get("public_keys").get("ops@lab").asText()).isEqualTo("ssh-ed25519 AAAAC3Nza ops@lab");
        assertThat(meta.get("keys").get(0).get("data").asText()).isEqualTo("ssh-ed25519 AAAAC3Nza ops@lab");
        assertThat(meta.get("availability_zone").asText()).isEqualTo("lab-1a");
        assertThat(meta.get("launch_index").asInt()).isZero();
        assertThat(meta.get("meta").get("role").asText()).isEqualTo("web");
    }

    @Test
    void networkDataKeepsPrimaryOnDhcpAndGivesExtrasTheirStaticAddress() throws Exception {
        JsonNode network = json(full, "latest/network_data.json");
        assertThat(network.get("links").get(0).get("ethernet_mac_address").asText()).isEqualTo("02:00:00:00:00:17");
        assertThat(network.get("networks").get(0).get("type").asText()).isEqualTo("ipv4_dhcp");
        assertThat(network.get("links").get(1).get("ethernet_mac_address").asText()).isEqualTo("02:00:00:00:01:17");
        JsonNode extra = network.get("networks").get(1);
        assertThat(extra.get("type").asText()).isEqualTo("ipv4");
        assertThat(extra.get("link").asText()).isEqualTo(network.get("links").get(1).get("id").asText());
        assertThat(extra.get("ip_address").asText()).isEqualTo("198.51.100.17");
        assertThat(extra.get("netmask").asText()).isEqualTo("255.255.255.0");
        assertThat(network.get("services").get(0).get("address").asText()).isEqualTo("192.0.2.1");
    }

    @Test
    void vendorDataIsTheCloudInitMemberOrEmptyObject() throws Exception {
        assertThat(json(full, "latest/vendor_data.json").get("cloud-init").asText())
            .isEqualTo("#cloud-config\npackages: [curl]\n");
        assertThat(json(bare, "latest/vendor_data.json").size()).isZero();
        assertThat(json(full, "latest/vendor_data2.json").size()).isZero();
    }

    @Test
    void userDataIsRawOrAbsent() {
        assertThat(full.lookup("latest/user_data").orElseThrow().text()).isEqualTo("#cloud-config\nruncmd: [true]\n");
        assertThat(bare.lookup("latest/user_data")).isEmpty();
        assertThat(bare.lookup("latest/").orElseThrow().text()).doesNotContain("user_data");
    }

    @Test
    void unknownVersionIsNotFound() {
        assertThat(full.lookup("2099-01-01/meta_data.json")).isEmpty();
    }
}
