package lab.config.check;

import lab.config.Problems;
import lab.config.SourceMap;
import lab.config.YamlPath;
import lab.config.model.NetworkConfig;

/** Rules within the {@code network} section: the router must be a host of the appliance's subnet. */
public final class NetworkChecks {

    static final YamlPath NETWORK = YamlPath.root().key("network");

    private NetworkChecks() {
    }

    public static void check(NetworkConfig network, SourceMap sources, Problems problems) {
        network.router().filter(router -> !network.isHostInSubnet(router)).ifPresent(router ->
                sources.at(NETWORK.key("router")).ifPresent(origin -> problems.report(origin,
                        router.getHostAddress() + " is not a host address in the subnet " + network.subnet())));
    }
}
