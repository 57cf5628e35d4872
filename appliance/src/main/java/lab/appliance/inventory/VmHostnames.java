package lab.appliance.inventory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import lab.config.model.DeviceProfile;
import lab.config.model.VmRecord;
import lab.metadata.userdata.UserDataRenderer;
import lab.metadata.userdata.UserDataTemplateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VM's hostname: its record's, else its profile's pattern rendered with its number ({@code waf-{{ seq }}}).
 * A VM with neither has no configured hostname; the metadata service then derives one from its address. Nor has a
 * VM the DHCP engine has not numbered yet: a pattern rendered with seq 0 would be a name it never has.
 */
public final class VmHostnames {

    private static final Logger LOG = LoggerFactory.getLogger(VmHostnames.class);

    private final UserDataRenderer renderer;
    /** Rendered patterns: a VM's identity is stable, and DHCP asks for its name on every packet. */
    private final Map<VmIdentity, Optional<String>> rendered = new ConcurrentHashMap<>();

    public VmHostnames(UserDataRenderer renderer) {
        this.renderer = Objects.requireNonNull(renderer, "renderer");
    }

    public Optional<String> configured(VmIdentity vm) {
        Optional<String> own = vm.record().flatMap(VmRecord::hostname);
        if (own.isPresent()) {
            return own;
        }
        if (vm.profile().flatMap(DeviceProfile::hostname).isEmpty() || vm.seq() == 0) {
            return Optional.empty();
        }
        return rendered.computeIfAbsent(vm, this::render);
    }

    private Optional<String> render(VmIdentity vm) {
        return vm.profile().flatMap(DeviceProfile::hostname).flatMap(pattern -> {
            try {
                String name = renderer.render(pattern.text(), TemplateVariables.beforeAddress(vm)).text().trim();
                return name.isEmpty() ? Optional.empty() : Optional.of(name);
            } catch (UserDataTemplateException e) {
                // check-config rejects broken patterns; a pattern that fails only for this VM's values lands here.
                LOG.warn("hostname pattern failed mac={} profile={}: {}", vm.mac(), vm.profileName(), e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** The name of a VM nobody named, from its address: {@code ip-10-20-1-5}, as EC2 does. */
    public static String fromAddress(String ip) {
        return "ip-" + ip.replace('.', '-');
    }
}
