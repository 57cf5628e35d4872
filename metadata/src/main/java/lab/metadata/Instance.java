package lab.metadata;

import java.net.Inet4Address;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One VM as the metadata service answers for it: everything any flavour's tree is built from. Built by the
 * appliance from the lease (IP → MAC) and the inventory (MAC → record and profile) when either changes, and served
 * with its trees as a {@link ServedInstance}.
 *
 * @param instanceId       stable per VM (a changed id makes cloud-init treat the VM as new)
 * @param hostname         the VM's hostname (local-hostname); may be a FQDN
 * @param address          the caller's leased address (local-ipv4)
 * @param prefixLength     the lab subnet's prefix length
 * @param gateway          the lab subnet's router, if any
 * @param mac              the primary NIC's MAC, lowercase colon form
 * @param profile          the device profile's name, "" when none matched
 * @param sshKeys          public keys, in order (EC2 public-keys/0, 1, …)
 * @param password         the CloudStack password, if the VM has one
 * @param userData         rendered user-data bytes, served as is; empty → 404
 * @param vendorData       rendered vendor-data bytes; empty → none
 * @param meta             user metadata (string keys; values are strings, numbers, booleans, lists or maps)
 * @param interfaces       extra NICs with static addresses, configured by cloud-init from network metadata
 * @param availabilityZone the availability zone every flavour reports
 * @param dnsServers       nameservers of the lab subnet (OpenStack network_data.json services)
 * @param imdsTokenRequired whether EC2 IMDSv2 tokens are required for this VM
 */
public record Instance(String instanceId, String hostname, Inet4Address address, int prefixLength,
                       Optional<Inet4Address> gateway, String mac, String profile, List<SshKey> sshKeys,
                       Optional<String> password, Optional<byte[]> userData, Optional<byte[]> vendorData,
                       Map<String, Object> meta, List<StaticNic> interfaces, String availabilityZone,
                       List<Inet4Address> dnsServers, boolean imdsTokenRequired) {

    public Instance {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(profile, "profile");
        sshKeys = List.copyOf(sshKeys);
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(userData, "userData");
        Objects.requireNonNull(vendorData, "vendorData");
        meta = Map.copyOf(meta);
        interfaces = List.copyOf(interfaces);
        Objects.requireNonNull(availabilityZone, "availabilityZone");
        dnsServers = List.copyOf(dnsServers);
    }

    /**
     * One SSH public key.
     *
     * @param name the key's name (EC2 {@code 0=name}, OpenStack public_keys key): the key's comment, else "key-N"
     * @param key  the whole OpenSSH public key line, e.g. {@code ssh-ed25519 AAAA… ops@lab}
     */
    public record SshKey(String name, String key) {
        public SshKey {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * An extra NIC with a static address.
     *
     * @param mac          lowercase colon form; must match the VM's NIC or cloud-init cannot name it
     * @param address      its address
     * @param prefixLength its prefix length
     * @param gateway      its gateway, if any
     */
    public record StaticNic(String mac, Inet4Address address, int prefixLength, Optional<Inet4Address> gateway) {
        public StaticNic {
            Objects.requireNonNull(mac, "mac");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(gateway, "gateway");
        }
    }
}
