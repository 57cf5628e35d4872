package lab.config.check;

import java.util.List;
import java.util.Optional;
import lab.config.Located;
import lab.config.Problems;
import lab.config.SourceMap;
import lab.config.YamlPath;
import lab.config.model.NetworkConfig;
import lab.config.model.SubnetConfig;

/**
 * Rules for {@code subnets}: each router is a host of its subnet, and no subnet overlaps the network's subnet or an
 * earlier subnet, since the subnet holding a relay's address must be one and only one. Overlaps are reported at the
 * later subnet's {@code subnet} key.
 */
public final class SubnetChecks {

    private SubnetChecks() {
    }

    /** Reports a router outside its subnet, or its network or broadcast address. */
    public static void checkRouter(SubnetConfig subnet, YamlPath path, SourceMap sources, Problems problems) {
        if (!subnet.isHostInSubnet(subnet.router())) {
            sources.at(path.key("router")).ifPresent(at -> problems.report(at, subnet.router().getHostAddress()
                    + " is not a host address in the subnet " + subnet.subnet()));
        }
    }

    /** Reports each subnet that shares addresses with the network's subnet or with an earlier subnet. */
    public static void checkOverlaps(Optional<NetworkConfig> network, List<Located<SubnetConfig>> subnets,
            SourceMap sources, Problems problems) {
        for (int later = 0; later < subnets.size(); later++) {
            Located<SubnetConfig> subnet = subnets.get(later);
            SubnetConfig value = subnet.value();
            Optional<String> clash = network
                    .filter(net -> value.overlaps(net.networkAddress(), net.prefixLength()))
                    .map(net -> "the network's subnet " + net.subnet() + " (network.address)");
            for (Located<SubnetConfig> earlier : subnets.subList(0, later)) {
                if (clash.isEmpty() && value.overlaps(earlier.value().networkAddress(), earlier.value().prefixLength())) {
                    clash = Optional.of(earlier.value().subnet() + " (" + earlier.origin().path() + ", line "
                            + earlier.origin().line() + ")");
                }
            }
            clash.ifPresent(what -> sources.at(subnet.origin().path().key("subnet")).ifPresent(at -> problems
                    .report(at, "subnet " + value.subnet() + " overlaps " + what)));
        }
    }
}
