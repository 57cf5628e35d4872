package lab.metadata.nocloud;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.metadata.Addresses;
import lab.metadata.Instance;
import lab.metadata.MetadataTree;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The NoCloud seed of one instance under {@code /nocloud/}: {@code meta-data} (YAML), {@code user-data} and
 * {@code vendor-data}. Both data files always answer 200, empty when there is none: cloud-init retries a failing
 * {@code user-data} eleven times and then rejects the datasource, and a failing {@code vendor-data} costs ~10 s.
 *
 * <p>{@code network-interfaces} (Debian {@code /etc/network/interfaces} text, the only network config NoCloud
 * accepts over HTTP) is served only when the VM has static NICs, because it replaces cloud-init's DHCP fallback:
 * then the primary NIC is {@code inet dhcp} and each extra NIC {@code inet static}, each tied to its MAC by
 * {@code hwaddress} (cloud-init matches by MAC and renames the NIC to the name given here).
 */
public final class NoCloudMetadataTree {

    private NoCloudMetadataTree() {
    }

    public static MetadataTree forInstance(Instance instance) {
        return MetadataTree.builder()
            .leaf("meta-data", metaData(instance))
            .leaf("user-data", instance.userData().orElse(new byte[0]))
            .leaf("vendor-data", instance.vendorData().orElse(new byte[0]))
            .build();
    }

    private static String metaData(Instance instance) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("instance-id", instance.instanceId());
        meta.put("local-hostname", instance.hostname());
        if (!instance.sshKeys().isEmpty()) {
            meta.put("public-keys", instance.sshKeys().stream().map(Instance.SshKey::key).toList());
        }
        if (!instance.interfaces().isEmpty()) {
            meta.put("network-interfaces", networkInterfaces(instance));
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(meta);
    }

    private static String networkInterfaces(Instance instance) {
        StringBuilder text = new StringBuilder();
        text.append("auto eth0\n")
            .append("iface eth0 inet dhcp\n")
            .append("    hwaddress ether ").append(instance.mac()).append('\n');
        List<Instance.StaticNic> extras = instance.interfaces();
        for (int i = 0; i < extras.size(); i++) {
            Instance.StaticNic nic = extras.get(i);
            String name = "eth" + (i + 1);
            text.append("auto ").append(name).append('\n')
                .append("iface ").append(name).append(" inet static\n")
                .append("    hwaddress ether ").append(nic.mac()).append('\n')
                .append("    address ").append(nic.address().getHostAddress()).append('\n')
                .append("    netmask ").append(Addresses.netmask(nic.prefixLength())).append('\n');
            nic.gateway().ifPresent(gateway -> text.append("    gateway ").append(gateway.getHostAddress()).append('\n'));
        }
        return text.toString();
    }
}
