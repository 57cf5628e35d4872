package lab.appliance.netns.cloudinit;

/** The cloud-init datasources the crawl driver can run, by the name cloud-init gives them. */
public enum Datasource {
    CLOUDSTACK("CloudStack"),
    EC2("Ec2"),
    OPENSTACK("OpenStack"),
    NOCLOUD("NoCloud");

    private final String cloudInitName;

    Datasource(String cloudInitName) {
        this.cloudInitName = cloudInitName;
    }

    /** The name crawl.py takes and reports ({@code CloudStack}, {@code Ec2}, …). */
    public String cloudInitName() {
        return cloudInitName;
    }
}
