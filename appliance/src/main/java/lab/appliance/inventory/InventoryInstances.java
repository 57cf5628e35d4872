package lab.appliance.inventory;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import lab.config.model.ApplianceConfig;
import lab.config.model.DeviceProfile;
import lab.config.model.ExtraInterface;
import lab.config.model.ImdsTokens;
import lab.config.model.SubnetConfig;
import lab.config.model.TemplateText;
import lab.config.model.VmRecord;
import lab.dhcp.lease.Lease;
import lab.metadata.Instance;
import lab.metadata.ServedInstance;
import lab.metadata.userdata.UserDataRenderer;
import lab.metadata.userdata.UserDataTemplateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one inventory serves a leased VM as: the lease gives the MAC and address, the inventory its record and profile
 * (a pure read: the DHCP engine assigned the profile before it made the lease), and its templates are rendered with
 * its values. Values come from the VM's record, then its profile, then defaults. Builds; keeps nothing.
 */
final class InventoryInstances {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryInstances.class);

    private final Inventory inventory;
    private final VmHostnames hostnames;
    private final UserDataRenderer renderer;
    private final ApplianceConfig config;

    InventoryInstances(Inventory inventory, VmHostnames hostnames, UserDataRenderer renderer, ApplianceConfig config) {
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.hostnames = Objects.requireNonNull(hostnames, "hostnames");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The instance of {@code lease}'s VM with every flavour's tree built. */
    ServedInstance served(Lease lease) {
        return ServedInstance.of(instance(lease));
    }

    private Instance instance(Lease lease) {
        VmIdentity vm = inventory.identify(lease.mac().toString());
        String ip = lease.ip().getHostAddress();
        String hostname = hostnames.configured(vm).orElseGet(() -> VmHostnames.fromAddress(ip));
        Map<String, Object> variables = TemplateVariables.forData(vm, hostname, ip);
        Optional<VmRecord> record = vm.record();
        Optional<DeviceProfile> profile = vm.profile();

        List<String> keys = new ArrayList<>();
        profile.ifPresent(p -> keys.addAll(p.sshKeys()));
        record.ifPresent(r -> keys.addAll(r.sshKeys()));
        Optional<TemplateText> userData = record.flatMap(VmRecord::userData).or(() -> profile.flatMap(DeviceProfile::userData));
        Optional<TemplateText> vendorData = record.flatMap(VmRecord::vendorData).or(() -> profile.flatMap(DeviceProfile::vendorData));
        boolean tokens = profile.flatMap(DeviceProfile::imdsTokens).orElse(config.metadata().imdsTokens()) == ImdsTokens.REQUIRED;

        // A VM behind a relay is described with its own segment's prefix, gateway and DNS.
        Optional<SubnetConfig> subnet = config.subnetOf(lease.ip());
        int prefixLength = subnet.map(SubnetConfig::prefixLength).orElse(config.network().prefixLength());
        Optional<Inet4Address> router = subnet.map(s -> Optional.of(s.router())).orElse(config.network().router());
        List<Inet4Address> dns = subnet.map(SubnetConfig::dns).orElse(config.network().dns());
        return new Instance(vm.instanceId(), hostname, lease.ip(), prefixLength,
                router, vm.mac(), vm.profileName(), sshKeys(keys),
                record.flatMap(VmRecord::password), userData.flatMap(t -> render(t, variables, vm)),
                vendorData.flatMap(t -> render(t, variables, vm)), TemplateVariables.meta(vm),
                staticNics(TemplateVariables.interfaces(vm)), config.metadata().availabilityZone(),
                dns, tokens);
    }

    private Optional<byte[]> render(TemplateText template, Map<String, Object> variables, VmIdentity vm) {
        try {
            return Optional.of(renderer.prepare(template.text().getBytes(StandardCharsets.UTF_8), variables).bytes());
        } catch (UserDataTemplateException e) {
            // check-config rejects broken templates; one that fails only with this VM's values is not served.
            LOG.warn("template failed, not served mac={} template={}: {}", vm.mac(), template.path(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Key names as EC2 lists them ({@code 0=name}): the key's comment, else key-N. */
    static List<Instance.SshKey> sshKeys(List<String> keys) {
        List<Instance.SshKey> result = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String[] fields = keys.get(i).trim().split("\\s+", 3);
            String name = fields.length == 3 && !fields[2].isBlank() ? fields[2].trim() : "key-" + i;
            result.add(new Instance.SshKey(name, keys.get(i).trim()));
        }
        return result;
    }

    private static List<Instance.StaticNic> staticNics(List<ExtraInterface> interfaces) {
        return interfaces.stream()
                .map(n -> new Instance.StaticNic(n.mac(), n.address(), n.prefixLength(), n.gateway()))
                .toList();
    }
}
