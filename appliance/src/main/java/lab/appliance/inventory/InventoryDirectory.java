package lab.appliance.inventory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import lab.config.model.ApplianceConfig;
import lab.config.model.DeviceProfile;
import lab.config.model.ExtraInterface;
import lab.config.model.ImdsTokens;
import lab.config.model.TemplateText;
import lab.config.model.VmRecord;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseView;
import lab.metadata.Instance;
import lab.metadata.InstanceDirectory;
import lab.metadata.userdata.UserDataRenderer;
import lab.metadata.userdata.UserDataTemplateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caller address → the VM it is: the active lease for the address gives the MAC (no lease, no instance), the
 * inventory gives its record and profile, and its templates are rendered with its values. Values come from the VM's
 * record, then its profile, then defaults. Rendered data is cached per VM and values, so a burst of crawls renders
 * each template once.
 */
public final class InventoryDirectory implements InstanceDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryDirectory.class);
    private static final int CACHE_LIMIT = 10_000;

    private record RenderKey(TemplateText template, Map<String, Object> variables) {
    }

    private final LeaseView leases;
    private final Inventory inventory;
    private final VmHostnames hostnames;
    private final UserDataRenderer renderer;
    private final ApplianceConfig config;
    private final Map<RenderKey, Optional<byte[]>> rendered = new ConcurrentHashMap<>();
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();

    public InventoryDirectory(LeaseView leases, Inventory inventory, VmHostnames hostnames, UserDataRenderer renderer,
                              ApplianceConfig config) {
        this.leases = Objects.requireNonNull(leases, "leases");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.hostnames = Objects.requireNonNull(hostnames, "hostnames");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public Optional<Instance> byAddress(InetAddress caller) {
        if (!(caller instanceof Inet4Address v4)) {
            return Optional.empty();
        }
        return leases.activeByIp(v4).map(this::cachedInstanceFor);
    }

    /**
     * An instance depends only on the lease's MAC and address and on this (immutable) inventory, so a crawl's dozens
     * of requests share one; the metadata service builds its trees once per instance value too.
     */
    private Instance cachedInstanceFor(Lease lease) {
        if (instances.size() > CACHE_LIMIT) {
            instances.clear();
        }
        return instances.computeIfAbsent(lease.mac() + "/" + lease.ip().getHostAddress(), key -> instanceFor(lease));
    }

    private Instance instanceFor(Lease lease) {
        // A lease is made only after the engine's lookup, which assigned the profile: reading is enough.
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

        return new Instance(vm.instanceId(), hostname, lease.ip(), config.network().prefixLength(),
                config.network().router(), vm.mac(), vm.profileName(), sshKeys(keys),
                record.flatMap(VmRecord::password), userData.flatMap(t -> render(t, variables, vm)),
                vendorData.flatMap(t -> render(t, variables, vm)), TemplateVariables.meta(vm),
                staticNics(TemplateVariables.interfaces(vm)), config.metadata().availabilityZone(),
                config.network().dns(), tokens);
    }

    private Optional<byte[]> render(TemplateText template, Map<String, Object> variables, VmIdentity vm) {
        if (rendered.size() > CACHE_LIMIT) {
            rendered.clear();
        }
        return rendered.computeIfAbsent(new RenderKey(template, variables), key -> {
            try {
                return Optional.of(renderer.prepare(template.text().getBytes(StandardCharsets.UTF_8), variables).bytes());
            } catch (UserDataTemplateException e) {
                // check-config rejects broken templates; one that fails only with this VM's values is not served.
                LOG.warn("template failed, not served mac={} template={}: {}", vm.mac(), template.path(), e.getMessage());
                return Optional.empty();
            }
        });
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
