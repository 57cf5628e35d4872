package lab.config.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a kind of VM gets from the metadata service. YAML: a named entry of {@code profiles}, name
 * {@code [a-z0-9-]{1,32}}, with {@code match.mac-prefix} / {@code match.vendor-class} (how VMs not listed under
 * {@code vms} are recognised), {@code hostname} (a pattern; {@code {{ seq }}} counts per profile), {@code ssh-keys},
 * {@code user-data} or {@code user-data-file}, {@code vendor-data} or {@code vendor-data-file}, {@code meta},
 * {@code imds-tokens} and {@code datasource} (what {@code launch-args} makes the VM's hypervisor show cloud-init).
 *
 * @param macPrefix lowercase hex pairs joined by colons, 1 to 6 octets
 * @param meta String, Long, Double, Boolean, List or Map values, in file order
 */
public record DeviceProfile(String name, Optional<String> macPrefix, Optional<String> vendorClass,
        Optional<TemplateText> hostname, List<String> sshKeys, Optional<TemplateText> userData,
        Optional<TemplateText> vendorData, Map<String, Object> meta, Optional<ImdsTokens> imdsTokens,
        Optional<Datasource> datasource) {

    public DeviceProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(macPrefix, "macPrefix");
        Objects.requireNonNull(vendorClass, "vendorClass");
        Objects.requireNonNull(hostname, "hostname");
        sshKeys = List.copyOf(sshKeys);
        Objects.requireNonNull(userData, "userData");
        Objects.requireNonNull(vendorData, "vendorData");
        meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
        Objects.requireNonNull(imdsTokens, "imdsTokens");
        Objects.requireNonNull(datasource, "datasource");
    }
}
