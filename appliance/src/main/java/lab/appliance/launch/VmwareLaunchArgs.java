package lab.appliance.launch;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code launch-args --for vmware}: VMware documents no .vmx / extraConfig key that sets the SMBIOS product or
 * serial (only {@code uuid.bios}, and {@code SMBIOS.reflectHost}, which copies the host's manufacturer and product),
 * so every datasource here goes through the image: its kernel command line or its cloud.cfg.d.
 */
public final class VmwareLaunchArgs {

    private static final String NO_SMBIOS = "VMware cannot set the SMBIOS product or serial: no documented .vmx / "
            + "extraConfig key does (SMBIOS.reflectHost = \"TRUE\" only copies the host's; the serial is derived "
            + "from uuid.bios).";
    private static final String GRUB = "(GRUB_CMDLINE_LINUX in /etc/default/grub; GRUB needs ; written as \\;)";

    private VmwareLaunchArgs() {
    }

    public static List<String> lines(GuestHints hints, String applianceAddress) {
        List<String> lines = new ArrayList<>();
        String seed = "ds=nocloud-net;s=http://" + applianceAddress + "/nocloud/";
        switch (hints.datasource()) {
            case CLOUDSTACK -> {
                lines.add("# " + NO_SMBIOS);
                lines.add("# Instead force CloudStack in the image: put ci.ds=CloudStack on its kernel command line "
                        + GRUB + ", or datasource_list: [ CloudStack, None ] on one line in "
                        + "/etc/cloud/cloud.cfg.d/90-lab.cfg (CloudStack has no platform check of its own).");
            }
            case EC2 -> lines.add("# Nothing to set in VMware: put ci.ds=Ec2 on the image's kernel command line " + GRUB
                    + ", or datasource_list: [ Ec2, None ] on one line in /etc/cloud/cloud.cfg.d/90-lab.cfg.");
            case EC2_AWS -> {
                lines.add("# VMware cannot make a VM look like AWS: uuid.bios can start with ec2, but the serial is "
                        + "then \"VMware-\" and the uuid's bytes, never equal to it, so cloud-init does not see AWS.");
                lines.add("# Use datasource ec2 instead (IMDSv1): ci.ds=Ec2 on the image's kernel command line " + GRUB
                        + ", or datasource_list: [ Ec2, None ] on one line in /etc/cloud/cloud.cfg.d/90-lab.cfg.");
            }
            case OPENSTACK -> {
                lines.add("# " + NO_SMBIOS);
                lines.add("# OpenStack checks the SMBIOS product itself on x86, so neither ci.ds= nor datasource_list "
                        + "can force it: use datasource nocloud-cmdline (or ec2) for VMware VMs.");
            }
            case NOCLOUD -> {
                lines.add("# " + NO_SMBIOS);
                lines.add("# Use datasource nocloud-cmdline instead: put " + seed + " on the image's kernel command "
                        + "line " + GRUB + ".");
            }
            case NOCLOUD_CMDLINE -> lines.add("# Nothing to set in VMware: put " + seed + " on the image's kernel "
                    + "command line " + GRUB + ".");
        }
        return lines;
    }
}
