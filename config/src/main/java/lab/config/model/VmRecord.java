package lab.config.model;

import java.net.Inet4Address;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One known VM. YAML: an item of {@code vms} with {@code mac} (required), {@code hostname}, {@code profile},
 * {@code ip} (becomes a DHCP reservation), {@code instance-id} (default derived from the MAC by the consumer),
 * {@code password}, {@code meta}, {@code interfaces}, {@code ssh-keys} (added to the profile's), and
 * {@code user-data}/{@code vendor-data} (inline or {@code -file}; they replace the profile's).
 *
 * @param mac normalised to lowercase with colons
 * @param sshKeys this VM's own keys only; the profile's keys are not repeated here
 * @param meta String, Long, Double, Boolean, List or Map values, in file order
 */
public record VmRecord(String mac, Optional<String> hostname, Optional<String> profile, Optional<Inet4Address> ip,
        Optional<String> instanceId, Optional<String> password, Map<String, Object> meta,
        List<ExtraInterface> interfaces, List<String> sshKeys, Optional<TemplateText> userData,
        Optional<TemplateText> vendorData) {

    public VmRecord {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(password, "password");
        meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
        interfaces = List.copyOf(interfaces);
        sshKeys = List.copyOf(sshKeys);
        Objects.requireNonNull(userData, "userData");
        Objects.requireNonNull(vendorData, "vendorData");
    }

    /** Hides the password, which must never reach a log line. */
    @Override
    public String toString() {
        return "VmRecord[mac=" + mac + ", hostname=" + hostname + ", profile=" + profile + ", ip=" + ip
                + ", instanceId=" + instanceId + ", password=" + (password.isPresent() ? "(set)" : "(none)")
                + ", interfaces=" + interfaces + "]";
    }
}
