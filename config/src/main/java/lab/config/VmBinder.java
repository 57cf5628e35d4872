package lab.config;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lab.config.model.ExtraInterface;
import lab.config.model.Ipv4;
import lab.config.model.VmRecord;
import org.yaml.snakeyaml.nodes.Node;

/** Binds the {@code vms} section: the VMs known by MAC, and checks each extra interface's gateway against its subnet. */
final class VmBinder {

    static final List<String> KEYS = List.of("mac", "hostname", "profile", "ip", "instance-id", "password", "meta",
            "interfaces", "ssh-keys", "user-data", "user-data-file", "vendor-data", "vendor-data-file");
    static final List<String> INTERFACE_KEYS = List.of("mac", "address", "gateway");

    private final NodeReader nodes;
    private final TemplateReader templates;

    VmBinder(NodeReader nodes, TemplateReader templates) {
        this.nodes = nodes;
        this.templates = templates;
    }

    /** Each VM whose required keys are good, with its item's origin; every problem is reported. */
    List<Located<VmRecord>> bind(MappingReader top, String key) {
        List<Located<VmRecord>> vms = new ArrayList<>();
        for (Located<Node> item : top.sequence(key).orElse(List.of())) {
            nodes.mapping(item.value(), item.origin().path(), KEYS)
                    .flatMap(this::bindOne)
                    .ifPresent(vm -> vms.add(new Located<>(vm, item.origin())));
        }
        return vms;
    }

    private Optional<VmRecord> bindOne(MappingReader vm) {
        Optional<Located<String>> mac = vm.requiredScalar("mac", ScalarTypes.MAC);
        Optional<String> hostname = value(vm, "hostname", ScalarTypes.HOSTNAME);
        Optional<String> profile = value(vm, "profile", ScalarTypes.PROFILE_NAME);
        Optional<Inet4Address> ip = value(vm, "ip", ScalarTypes.IPV4_ADDRESS);
        Optional<String> instanceId = value(vm, "instance-id", ScalarTypes.INSTANCE_ID);
        Optional<String> password = value(vm, "password", ScalarTypes.PASSWORD);
        Map<String, Object> meta = vm.get("meta")
                .flatMap(node -> new MetaReader(nodes).read(node, vm.path().key("meta")))
                .orElse(Map.of());
        List<ExtraInterface> interfaces = new ArrayList<>();
        for (Located<Node> item : vm.sequence("interfaces").orElse(List.of())) {
            nodes.mapping(item.value(), item.origin().path(), INTERFACE_KEYS)
                    .flatMap(this::bindInterface)
                    .ifPresent(interfaces::add);
        }
        List<String> sshKeys = vm.scalarList("ssh-keys", ScalarTypes.SSH_KEY).orElse(List.of()).stream()
                .map(Located::value).toList();
        var userData = templates.inlineOrFile(vm, "user-data");
        var vendorData = templates.inlineOrFile(vm, "vendor-data");
        return mac.map(m -> new VmRecord(m.value(), hostname, profile, ip, instanceId, password, meta, interfaces,
                sshKeys, userData, vendorData));
    }

    private Optional<ExtraInterface> bindInterface(MappingReader nic) {
        Optional<Located<String>> mac = nic.requiredScalar("mac", ScalarTypes.MAC);
        Optional<Located<AddressWithPrefix>> address = nic.requiredScalar("address", ScalarTypes.ADDRESS_WITH_PREFIX);
        Optional<Located<Inet4Address>> gateway = nic.scalar("gateway", ScalarTypes.IPV4_ADDRESS);
        if (address.isPresent() && gateway.isPresent()) {
            AddressWithPrefix cidr = address.get().value();
            Inet4Address gw = gateway.get().value();
            long mask = Ipv4.mask(cidr.prefixLength());
            boolean sameSubnet = (Ipv4.toLong(gw) & mask) == (Ipv4.toLong(cidr.address()) & mask);
            String subnet = Ipv4.fromLong(Ipv4.toLong(cidr.address()) & mask).getHostAddress() + "/"
                    + cidr.prefixLength();
            if (!sameSubnet) {
                nodes.problems().report(gateway.get().origin(), gw.getHostAddress() + " is not in " + subnet
                        + " (expected a gateway in the subnet of " + address.get().origin().path() + ")");
                return Optional.empty();
            }
            if (gw.equals(cidr.address())) {
                nodes.problems().report(gateway.get().origin(), gw.getHostAddress()
                        + " is the interface's own address (expected another host of " + subnet + ")");
                return Optional.empty();
            }
        }
        if (mac.isEmpty() || address.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ExtraInterface(mac.get().value(), address.get().value().address(),
                address.get().value().prefixLength(), gateway.map(Located::value)));
    }

    private static <T> Optional<T> value(MappingReader mapping, String key, ScalarType<T> type) {
        return mapping.scalar(key, type).map(Located::value);
    }
}
