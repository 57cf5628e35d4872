package lab.metadata.cloudstack;

import lab.metadata.Instance;
import lab.metadata.MetadataTree;
import lab.metadata.ec2.Ec2MetadataTree;

/**
 * The tree served under {@code /latest/}: EC2's, plus the top-level entries a CloudStack virtual router serves. EC2
 * and CloudStack share this path and cannot be told apart, so one table satisfies both crawlers; every entry it
 * lists answers for both.
 *
 * <p>{@code availability-zone} at the top of {@code meta-data/} is required by cloud-init's CloudStack datasource
 * (it reads it without a default after having acknowledged the password). {@code public-keys} stays EC2's
 * {@code 0=name} directory, which CloudStack's datasource also reads.
 */
public final class CloudStackMetadataTree {

    private CloudStackMetadataTree() {
    }

    public static MetadataTree forInstance(Instance instance) {
        MetadataTree.Builder tree = MetadataTree.builder();
        tree.include("", Ec2MetadataTree.forInstance(instance));
        String ip = instance.address().getHostAddress();
        tree.leaf("meta-data/availability-zone", instance.availabilityZone());
        tree.leaf("meta-data/vm-id", instance.instanceId());
        tree.leaf("meta-data/public-hostname", instance.hostname());
        tree.leaf("meta-data/public-ipv4", ip);
        tree.leaf("meta-data/cloud-identifier", "CloudStack-{" + instance.instanceId() + "}");
        if (!instance.profile().isEmpty()) {
            tree.leaf("meta-data/service-offering", instance.profile());
        }
        return tree.build();
    }
}
