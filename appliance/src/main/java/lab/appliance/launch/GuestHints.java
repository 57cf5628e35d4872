package lab.appliance.launch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lab.config.model.Datasource;

/**
 * What a VM must show stock cloud-init so that ds-identify picks {@code datasource} and finds the appliance, before
 * any hypervisor's spelling: SMBIOS type 1 fields and kernel command line words (metadata-protocols.md §11).
 *
 * @param smbios SMBIOS type 1 field (QEMU's names: manufacturer, product, serial, uuid) to value, in print order
 * @param kernelWords kernel command line words, if the datasource needs them
 * @param uuidPerVm true when {@code smbios} holds a random uuid that each VM must replace with its own
 * @param notes what this does and its caveats, one sentence each, for comment lines
 */
public record GuestHints(Datasource datasource, Map<String, String> smbios, Optional<String> kernelWords, boolean uuidPerVm,
                  List<String> notes) {

    public GuestHints {
        smbios = Collections.unmodifiableMap(new LinkedHashMap<>(smbios));
        notes = List.copyOf(notes);
    }

    /** The hints for {@code datasource}; {@code mac} (if any) fixes the uuid an AWS look-alike gets. */
    public static GuestHints of(Datasource datasource, String applianceAddress, Optional<String> mac) {
        String seed = "ds=nocloud-net;s=http://" + applianceAddress + "/nocloud/";
        Map<String, String> smbios = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        Optional<String> words = Optional.empty();
        boolean uuidPerVm = false;
        switch (datasource) {
            case CLOUDSTACK -> {
                smbios.put("product", "CloudStack KVM Hypervisor");
                notes.add("CloudStack: ds-identify matches the SMBIOS product; cloud-init then finds the appliance as "
                        + "its DHCP server (option 54) on port 80, passwords on 8080.");
            }
            case EC2 -> {
                words = Optional.of("ci.ds=Ec2");
                notes.add("Ec2 on a non-AWS platform: ds-identify runs it only when forced (ci.ds=Ec2); cloud-init "
                        + "then uses IMDSv1 at 169.254.169.254, routed to the appliance by DHCP option 121.");
                notes.add("Without direct kernel boot, the image can force it instead: datasource_list: [ Ec2, None ] "
                        + "on one line in /etc/cloud/cloud.cfg.d/90-lab.cfg.");
            }
            case EC2_AWS -> {
                String uuid = mac.map(Ec2Uuid::forMac).orElseGet(Ec2Uuid::random);
                uuidPerVm = mac.isEmpty();
                smbios.put("manufacturer", "Amazon EC2");
                smbios.put("uuid", uuid);
                smbios.put("serial", uuid);
                notes.add("Ec2 as on AWS: the uuid starts with ec2 and the serial equals it, so cloud-init uses IMDSv2 "
                        + "tokens and crawls 169.254.169.254 in init-local (Ec2Local).");
                if (uuidPerVm) {
                    notes.add("This uuid is random: every VM needs its own; run launch-args with the VM's MAC for a "
                            + "stable one.");
                }
            }
            case OPENSTACK -> {
                smbios.put("product", "OpenStack Nova");
                notes.add("OpenStack: cloud-init checks the SMBIOS product itself (config cannot force it on x86) and "
                        + "asks 169.254.169.254 once: start the appliance before the VM.");
            }
            case NOCLOUD -> {
                smbios.put("serial", seed);
                notes.add("NoCloud: the seed URL in the SMBIOS serial, the same for every VM (the appliance tells VMs "
                        + "apart by address); nocloud-net and the final / matter.");
            }
            case NOCLOUD_CMDLINE -> {
                words = Optional.of(seed);
                notes.add("NoCloud: the seed URL on the kernel command line, the same for every VM (the appliance "
                        + "tells VMs apart by address); nocloud-net and the final / matter.");
            }
        }
        return new GuestHints(datasource, smbios, words, uuidPerVm, notes);
    }

    /** The cloud-init name of the datasource, as {@code datasource_list} and {@code ci.ds=} spell it. */
    public String cloudInitName() {
        return switch (datasource) {
            case CLOUDSTACK -> "CloudStack";
            case EC2, EC2_AWS -> "Ec2";
            case OPENSTACK -> "OpenStack";
            case NOCLOUD, NOCLOUD_CMDLINE -> "NoCloud";
        };
    }
}
