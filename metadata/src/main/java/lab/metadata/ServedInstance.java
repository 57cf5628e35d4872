package lab.metadata;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import lab.metadata.cloudstack.CloudStackMetadataTree;
import lab.metadata.ec2.Ec2MetadataTree;
import lab.metadata.nocloud.NoCloudMetadataTree;
import lab.metadata.openstack.OpenStackMetadataTree;

/**
 * One VM as the metadata service serves it: its instance and every flavour's tree, built once from it. A crawl is
 * dozens of requests and a tree is data built from the instance alone, so the appliance builds this when the VM's
 * lease or the inventory changes, and a request only looks its path up.
 */
public final class ServedInstance {

    private final Instance instance;
    private final VersionedTree ec2;
    private final VersionedTree openStack;
    private final MetadataTree noCloud;

    private ServedInstance(Instance instance, VersionedTree ec2, VersionedTree openStack, MetadataTree noCloud) {
        this.instance = instance;
        this.ec2 = ec2;
        this.openStack = openStack;
        this.noCloud = noCloud;
    }

    /** Builds every flavour's tree of {@code instance}. */
    public static ServedInstance of(Instance instance) {
        Objects.requireNonNull(instance, "instance");
        return new ServedInstance(instance, ec2Versions(instance), OpenStackMetadataTree.forInstance(instance),
                NoCloudMetadataTree.forInstance(instance));
    }

    public Instance instance() {
        return instance;
    }

    /** Dated versions serve the EC2 tree; {@code latest} the combined EC2 + CloudStack tree. */
    public VersionedTree ec2() {
        return ec2;
    }

    public VersionedTree openStack() {
        return openStack;
    }

    public MetadataTree noCloud() {
        return noCloud;
    }

    private static VersionedTree ec2Versions(Instance instance) {
        MetadataTree ec2 = Ec2MetadataTree.forInstance(instance);
        Map<String, MetadataTree> byVersion = new LinkedHashMap<>();
        Ec2MetadataTree.DATED_VERSIONS.forEach(version -> byVersion.put(version, ec2));
        byVersion.put("latest", CloudStackMetadataTree.forInstance(instance));
        return new VersionedTree(byVersion);
    }
}
