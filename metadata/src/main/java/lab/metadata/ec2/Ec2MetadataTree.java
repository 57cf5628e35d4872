package lab.metadata.ec2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.metadata.Addresses;
import lab.metadata.Instance;
import lab.metadata.MetadataTree;

/**
 * The EC2 instance metadata tree of one instance, relative to a version ({@code meta-data/…}, {@code user-data},
 * {@code dynamic/…}), as cloud-init 22.4's Ec2 datasource crawls it.
 *
 * <p>Choices, each because of what cloud-init does with the value:
 * <ul>
 *   <li>Leaves carry no trailing newline: cloud-init turns a leaf containing {@code \n} into a list of lines.</li>
 *   <li>{@code placement/region} is not served: cloud-init derives the region as the zone minus its last
 *       character itself, and a lab zone name rarely has a meaningful last character.</li>
 *   <li>{@code block-device-mapping/} is not served: cloud-init would mount what it names.</li>
 *   <li>Every NIC is listed under {@code network/interfaces/macs/}, as AWS lists every interface: the primary
 *       (device-number 0, its leased address) and each static extra NIC (device-number 1, 2, …, its address and
 *       subnet). cloud-init 22.4 turns every listed MAC into {@code dhcp4: true} and cannot express a static-only
 *       NIC from EC2 metadata, so the VM asks DHCP on an extra NIC too; its static address reaches the VM through
 *       the OpenStack ({@code network_data.json}) and NoCloud ({@code network-interfaces}) flavours.</li>
 *   <li>No {@code vpc-id}: cloud-init then treats the network as classic and re-renders it every boot.</li>
 * </ul>
 */
public final class Ec2MetadataTree {

    /** The dated versions cloud-init 22.4 probes, oldest first; {@code latest} is served besides them. */
    public static final List<String> DATED_VERSIONS = List.of("2009-04-04", "2016-09-02", "2018-09-24", "2021-03-23");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Ec2MetadataTree() {
    }

    /** The version-relative tree: {@code meta-data/…}, {@code user-data} when there is some, {@code dynamic/…}. */
    public static MetadataTree forInstance(Instance instance) {
        MetadataTree.Builder tree = MetadataTree.builder();
        addMetaData(tree, "meta-data/", instance);
        instance.userData().filter(bytes -> bytes.length > 0).ifPresent(bytes -> tree.leaf("user-data", bytes));
        tree.leaf("dynamic/instance-identity/document", identityDocument(instance));
        return tree.build();
    }

    /** Adds the EC2 meta-data entries under {@code prefix} (e.g. {@code "meta-data/"}). */
    public static void addMetaData(MetadataTree.Builder tree, String prefix, Instance instance) {
        String ip = instance.address().getHostAddress();
        tree.leaf(prefix + "instance-id", instance.instanceId());
        tree.leaf(prefix + "ami-launch-index", "0");
        tree.leaf(prefix + "hostname", instance.hostname());
        tree.leaf(prefix + "local-hostname", instance.hostname());
        tree.leaf(prefix + "local-ipv4", ip);
        tree.leaf(prefix + "mac", instance.mac());
        tree.leaf(prefix + "placement/availability-zone", instance.availabilityZone());
        List<Instance.SshKey> keys = instance.sshKeys();
        for (int i = 0; i < keys.size(); i++) {
            // Listed as "0=name": cloud-init then fetches 0/openssh-key and stores it under the name.
            tree.leaf(prefix + "public-keys/" + i + "/openssh-key", keys.get(i).key());
            tree.listAs(prefix + "public-keys/" + i, i + "=" + keys.get(i).name());
        }
        String nic = prefix + "network/interfaces/macs/" + instance.mac() + "/";
        tree.leaf(nic + "device-number", "0");
        tree.leaf(nic + "local-ipv4s", ip);
        tree.leaf(nic + "mac", instance.mac());
        tree.leaf(nic + "subnet-ipv4-cidr-block", Addresses.networkCidr(instance.address(), instance.prefixLength()));
        List<Instance.StaticNic> extras = instance.interfaces();
        for (int i = 0; i < extras.size(); i++) {
            Instance.StaticNic extra = extras.get(i);
            String path = prefix + "network/interfaces/macs/" + extra.mac() + "/";
            tree.leaf(path + "device-number", Integer.toString(i + 1));
            tree.leaf(path + "local-ipv4s", extra.address().getHostAddress());
            tree.leaf(path + "mac", extra.mac());
            tree.leaf(path + "subnet-ipv4-cidr-block", Addresses.networkCidr(extra.address(), extra.prefixLength()));
        }
    }

    private static String identityDocument(Instance instance) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("instanceId", instance.instanceId());
        document.put("availabilityZone", instance.availabilityZone());
        document.put("privateIp", instance.address().getHostAddress());
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings always serialize", e);
        }
    }
}
