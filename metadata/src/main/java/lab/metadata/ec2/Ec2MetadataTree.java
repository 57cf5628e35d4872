package lab.metadata.ec2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Inet4Address;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 *   <li>Every NIC carries a {@code vpc-id} (one VPC: the lab network), a {@code subnet-id} and an
 *       {@code interface-id}, as on AWS. Without a {@code vpc-id} cloud-init takes the instance for EC2-Classic and
 *       refreshes the metadata in every boot's network stage; on an AWS-looking VM that refresh runs its ephemeral
 *       DHCP again beside the OS's client, fails to add the option 121 route that client already installed
 *       ("RTNETLINK answers: File exists") and the whole init stage fails.</li>
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
        String vpcCidr = Addresses.networkCidr(instance.address(), instance.prefixLength());
        String vpcId = "vpc-" + hexId(instance.address(), instance.prefixLength());
        addNic(tree, prefix, 0, instance.mac(), instance.address(), instance.prefixLength(), vpcId, vpcCidr);
        List<Instance.StaticNic> extras = instance.interfaces();
        for (int i = 0; i < extras.size(); i++) {
            Instance.StaticNic extra = extras.get(i);
            addNic(tree, prefix, i + 1, extra.mac(), extra.address(), extra.prefixLength(), vpcId, vpcCidr);
        }
    }

    private static void addNic(MetadataTree.Builder tree, String prefix, int deviceNumber, String mac,
                               Inet4Address address, int prefixLength, String vpcId, String vpcCidr) {
        String path = prefix + "network/interfaces/macs/" + mac + "/";
        String subnetCidr = Addresses.networkCidr(address, prefixLength);
        tree.leaf(path + "device-number", Integer.toString(deviceNumber));
        tree.leaf(path + "interface-id", "eni-" + mac.replace(":", ""));
        tree.leaf(path + "local-ipv4s", address.getHostAddress());
        tree.leaf(path + "mac", mac);
        tree.leaf(path + "subnet-id", "subnet-" + hexId(address, prefixLength));
        tree.leaf(path + "subnet-ipv4-cidr-block", subnetCidr);
        tree.leaf(path + "vpc-id", vpcId);
        tree.leaf(path + "vpc-ipv4-cidr-block", vpcCidr);
        tree.leaf(path + "vpc-ipv4-cidr-blocks", vpcCidr);
    }

    /** A stable AWS-style id suffix for a network: its address and prefix length in hex, 10.20.0.0/16 → 0a14000010. */
    private static String hexId(Inet4Address address, int prefixLength) {
        byte[] bytes = address.getAddress();
        long network = ((bytes[0] & 0xffL) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff))
            & (prefixLength == 0 ? 0 : 0xffffffffL << (32 - prefixLength));
        return String.format(Locale.ROOT, "%08x%02x", network & 0xffffffffL, prefixLength);
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
