package lab.metadata;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Instances for tests, with documentation addresses and locally administered MACs. */
public final class TestInstances {

    private TestInstances() {
    }

    public static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** A VM with keys, password, user-data, vendor-data, meta and one static extra NIC. */
    public static Instance full(String address) {
        return new Instance("i-0000000000000017", "vm17.example.org", ip(address), 24, Optional.of(ip("192.0.2.1")),
            "02:00:00:00:00:17", "web", List.of(new Instance.SshKey("ops@lab", "ssh-ed25519 AAAAC3Nza ops@lab"),
                new Instance.SshKey("key-2", "ssh-rsa AAAAB3Nza")),
            Optional.of("Lab-Passw0rd-7"), Optional.of("#cloud-config\nruncmd: [true]\n".getBytes(StandardCharsets.UTF_8)),
            Optional.of("#cloud-config\npackages: [curl]\n".getBytes(StandardCharsets.UTF_8)),
            Map.of("role", "web"), List.of(new Instance.StaticNic("02:00:00:00:01:17", ip("198.51.100.17"), 24,
                Optional.empty())), "lab-1a", List.of(ip("192.0.2.1")), false);
    }

    /** A VM with nothing optional: no keys, password, user-data, vendor-data or extra NIC. */
    public static Instance bare(String address) {
        return new Instance("i-0000000000000042", "vm42", ip(address), 24, Optional.empty(), "02:00:00:00:00:42", "",
            List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), List.of(), "lab-1a", List.of(),
            false);
    }

    public static Instance withTokensRequired(Instance instance) {
        return new Instance(instance.instanceId(), instance.hostname(), instance.address(), instance.prefixLength(),
            instance.gateway(), instance.mac(), instance.profile(), instance.sshKeys(), instance.password(),
            instance.userData(), instance.vendorData(), instance.meta(), instance.interfaces(),
            instance.availabilityZone(), instance.dnsServers(), true);
    }
}
