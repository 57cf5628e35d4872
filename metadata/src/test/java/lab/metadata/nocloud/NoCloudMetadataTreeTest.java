package lab.metadata.nocloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import lab.metadata.MetadataTree;
import lab.metadata.TestInstances;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class NoCloudMetadataTreeTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metaData(MetadataTree tree) {
        return new Yaml().load(tree.lookup("meta-data").orElseThrow().text());
    }

    @Test
    void metaDataIsAYamlMappingWithIdHostnameAndKeys() {
        Map<String, Object> meta = metaData(NoCloudMetadataTree.forInstance(TestInstances.full("192.0.2.17")));
        assertThat(meta).containsEntry("instance-id", "i-0000000000000017")
            .containsEntry("local-hostname", "vm17.example.org")
            .containsEntry("public-keys", List.of("ssh-ed25519 AAAAC3Nza ops@lab", "ssh-rsa AAAAB3Nza"));
    }

    @Test
    void networkInterfacesOnlyWithStaticNicsPrimaryDhcpExtrasStatic() {
        Map<String, Object> meta = metaData(NoCloudMetadataTree.forInstance(TestInstances.full("192.0.2.17")));
        assertThat((String) meta.get("network-interfaces")).contains(
            "iface eth0 inet dhcp\n    hwaddress ether 02:00:00:00:00:17\n",
            "iface eth1 inet static\n    hwaddress ether 02:00:00:00:01:17\n    address 198.51.100.17\n"
                + "    netmask 255.255.255.0\n");
        assertThat(metaData(NoCloudMetadataTree.forInstance(TestInstances.bare("192.0.2.42"))))
            .doesNotContainKeys("network-interfaces", "public-keys");
    }

    @Test
    void userDataAndVendorDataAlwaysAnswerEmptyWhenNone() {
        MetadataTree tree = NoCloudMetadataTree.forInstance(TestInstances.bare("192.0.2.42"));
        assertThat(tree.lookup("user-data").orElseThrow().body()).isEmpty();
        assertThat(tree.lookup("vendor-data").orElseThrow().body()).isEmpty();
        assertThat(tree.lookup("").orElseThrow().text()).isEqualTo("meta-data\nuser-data\nvendor-data");
    }
}
