package lab.config.model;

import java.util.Locale;

/**
 * Which cloud-init datasource a VM should pick, and so what its hypervisor must show it. YAML: a profile's
 * {@code datasource}, written as {@link #key()}.
 */
public enum Datasource {
    /** SMBIOS product "CloudStack KVM Hypervisor". */
    CLOUDSTACK,
    /** Generic Ec2 on a non-AWS platform: ds-identify only accepts it when forced ({@code ci.ds=Ec2}). */
    EC2,
    /** Looks like AWS: SMBIOS manufacturer "Amazon EC2", uuid starting with {@code ec2} and serial equal to it. */
    EC2_AWS,
    /** SMBIOS product "OpenStack Nova" (cloud-init checks it itself). */
    OPENSTACK,
    /** SMBIOS system serial {@code ds=nocloud-net;s=http://<appliance>/nocloud/}. */
    NOCLOUD,
    /** The NoCloud seed text on the kernel command line instead of the serial. */
    NOCLOUD_CMDLINE;

    /** The word the config and the command line use: {@code ec2-aws}, {@code nocloud-cmdline}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
