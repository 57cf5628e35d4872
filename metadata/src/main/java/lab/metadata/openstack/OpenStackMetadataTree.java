package lab.metadata.openstack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.metadata.Addresses;
import lab.metadata.Instance;
import lab.metadata.MetadataTree;
import lab.metadata.VersionedTree;

/**
 * The OpenStack metadata of one instance under {@code /openstack/<version>/}: {@code meta_data.json},
 * {@code network_data.json}, {@code vendor_data.json}, {@code vendor_data2.json} and {@code user_data} (only when
 * there is some, so it answers 404 otherwise), identical for every version cloud-init 22.4 knows and {@code latest}.
 *
 * <p>{@code network_data.json} keeps the primary NIC on DHCP ({@code ipv4_dhcp}) and gives each extra NIC its static
 * address ({@code ipv4}); links carry no name, so cloud-init names each after the VM NIC with that MAC.
 */
public final class OpenStackMetadataTree {

    /** The versions cloud-init 22.4 knows, oldest first, then {@code latest}. */
    public static final List<String> VERSIONS = List.of("2012-08-10", "2013-04-04", "2013-10-17", "2015-10-15",
        "2016-06-30", "2016-10-06", "2017-02-22", "2018-08-27", "latest");

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenStackMetadataTree() {
    }

    public static VersionedTree forInstance(Instance instance) {
        MetadataTree tree = versionTree(instance);
        Map<String, MetadataTree> byVersion = new LinkedHashMap<>();
        VERSIONS.forEach(version -> byVersion.put(version, tree));
        return new VersionedTree(byVersion);
    }

    static MetadataTree versionTree(Instance instance) {
        MetadataTree.Builder tree = MetadataTree.builder();
        tree.leaf("meta_data.json", json(metaData(instance)));
        instance.userData().filter(bytes -> bytes.length > 0).ifPresent(bytes -> tree.leaf("user_data", bytes));
        String vendorData = json(vendorData(instance));
        tree.leaf("vendor_data.json", vendorData);
        tree.leaf("vendor_data2.json", "{}");
        tree.leaf("network_data.json", json(networkData(instance)));
        return tree.build();
    }

    private static Map<String, Object> metaData(Instance instance) {
        Map<String, Object> keys = new LinkedHashMap<>();
        List<Map<String, Object>> keyList = new ArrayList<>();
        for (Instance.SshKey key : instance.sshKeys()) {
            keys.put(key.name(), key.key());
            keyList.add(Map.of("name", key.name(), "type", "ssh", "data", key.key()));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("uuid", instance.instanceId());
        meta.put("hostname", instance.hostname());
        meta.put("name", shortName(instance.hostname()));
        meta.put("public_keys", keys);
        meta.put("keys", keyList);
        meta.put("availability_zone", instance.availabilityZone());
        meta.put("launch_index", 0);
        meta.put("meta", instance.meta());
        return meta;
    }

    /** {@code {}} without vendor-data, else {@code {"cloud-init": "<vendor-data>"}} (the member cloud-init reads). */
    private static Map<String, Object> vendorData(Instance instance) {
        return instance.vendorData()
            .filter(bytes -> bytes.length > 0)
            .<Map<String, Object>>map(bytes -> Map.of("cloud-init", new String(bytes, StandardCharsets.UTF_8)))
            .orElse(Map.of());
    }

    private static Map<String, Object> networkData(Instance instance) {
        List<Map<String, Object>> links = new ArrayList<>();
        List<Map<String, Object>> networks = new ArrayList<>();
        links.add(link("nic0", instance.mac()));
        Map<String, Object> primary = new LinkedHashMap<>();
        primary.put("id", "network0");
        primary.put("link", "nic0");
        primary.put("type", "ipv4_dhcp");
        networks.add(primary);
        List<Instance.StaticNic> extras = instance.interfaces();
        for (int i = 0; i < extras.size(); i++) {
            Instance.StaticNic nic = extras.get(i);
            String linkId = "nic" + (i + 1);
            links.add(link(linkId, nic.mac()));
            Map<String, Object> network = new LinkedHashMap<>();
            network.put("id", "network" + (i + 1));
            network.put("link", linkId);
            network.put("type", "ipv4");
            network.put("ip_address", nic.address().getHostAddress());
            network.put("netmask", Addresses.netmask(nic.prefixLength()));
            nic.gateway().ifPresent(gateway -> network.put("gateway", gateway.getHostAddress()));
            // No default route here: the primary NIC's DHCP lease owns the default route.
            network.put("routes", List.of());
            networks.add(network);
        }
        List<Map<String, Object>> services = new ArrayList<>();
        instance.dnsServers().forEach(dns -> services.add(Map.of("type", "dns", "address", dns.getHostAddress())));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("links", links);
        data.put("networks", networks);
        data.put("services", services);
        return data;
    }

    private static Map<String, Object> link(String id, String mac) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("id", id);
        link.put("type", "phy");
        link.put("ethernet_mac_address", mac);
        return link;
    }

    private static String shortName(String hostname) {
        int dot = hostname.indexOf('.');
        return dot < 0 ? hostname : hostname.substring(0, dot);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata not serializable as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
