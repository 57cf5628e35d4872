package lab.metadata.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import lab.metadata.Instance;
import lab.metadata.MetadataTree;
import lab.metadata.VersionedTree;
import lab.metadata.nocloud.NoCloudMetadataTree;
import lab.metadata.openstack.OpenStackMetadataTree;

/**
 * The built trees of the instances being served. A crawl is dozens of requests for one instance, and a tree is
 * data built from the instance alone, so each is built once per instance value; a changed lease or inventory gives
 * a different instance and new trees. Bounded: past the limit it starts afresh.
 */
final class FlavourTrees {

    private static final int LIMIT = 4096;

    private record Trees(VersionedTree ec2, VersionedTree openStack, MetadataTree noCloud) {
    }

    private final Map<Instance, Trees> byInstance = new ConcurrentHashMap<>();

    VersionedTree ec2(Instance instance) {
        return trees(instance).ec2();
    }

    VersionedTree openStack(Instance instance) {
        return trees(instance).openStack();
    }

    MetadataTree noCloud(Instance instance) {
        return trees(instance).noCloud();
    }

    private Trees trees(Instance instance) {
        if (byInstance.size() > LIMIT) {
            byInstance.clear();
        }
        return byInstance.computeIfAbsent(instance, build());
    }

    private static Function<Instance, Trees> build() {
        return instance -> new Trees(MetadataRouter.ec2Versions(instance), OpenStackMetadataTree.forInstance(instance),
                NoCloudMetadataTree.forInstance(instance));
    }
}
