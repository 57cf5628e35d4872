package lab.config.check;

import java.net.Inet4Address;
import java.util.List;
import lab.config.Located;
import lab.config.Problems;
import lab.config.YamlPath;
import lab.config.model.NetworkConfig;
import lab.config.model.PoolConfig;
import lab.config.model.SubnetConfig;

/**
 * Rules for {@code dhcp.pools} and {@code subnets[].pools}: pools do not overlap, lie inside their subnet, and leave
 * out the subnet's network and broadcast addresses, the appliance's own address and the router. Each problem is
 * reported at the later pool.
 */
public final class PoolChecks {

    private PoolChecks() {
    }

    /** Reports each pool that shares an address with an earlier one, naming the first such pool. */
    public static void checkOverlaps(List<Located<PoolConfig>> pools, Problems problems) {
        for (int later = 0; later < pools.size(); later++) {
            Located<PoolConfig> pool = pools.get(later);
            pools.subList(0, later).stream()
                    .filter(earlier -> earlier.value().overlaps(pool.value()))
                    .findFirst()
                    .ifPresent(earlier -> problems.report(pool.origin(), "pool " + pool.value() + " overlaps "
                            + earlier.origin().path() + " (line " + earlier.origin().line() + ")"));
        }
    }

    /** Reports pools that stray outside the subnet or hold an address that must never be leased. */
    public static void checkAgainstNetwork(NetworkConfig network, List<Located<PoolConfig>> pools,
            Problems problems) {
        for (Located<PoolConfig> located : pools) {
            PoolConfig pool = located.value();
            if (!network.inSubnet(pool.first()) || !network.inSubnet(pool.last())) {
                problems.report(located.origin(), "pool " + pool + " is not inside the subnet " + network.subnet());
                continue;
            }
            reportIfContained(located, network.networkAddress(), "the network address", problems);
            reportIfContained(located, network.broadcastAddress(), "the broadcast address", problems);
            reportIfContained(located, network.address(), "the appliance's own address (network.address)",
                    problems);
            network.router()
                    .filter(router -> !router.equals(network.address()))
                    .ifPresent(router -> reportIfContained(located, router, "the router (network.router)", problems));
        }
    }

    /** Reports pools of a relayed subnet that stray outside it or hold its network, broadcast or router address. */
    public static void checkAgainstSubnet(SubnetConfig subnet, YamlPath path, List<Located<PoolConfig>> pools,
            Problems problems) {
        for (Located<PoolConfig> located : pools) {
            PoolConfig pool = located.value();
            if (!subnet.inSubnet(pool.first()) || !subnet.inSubnet(pool.last())) {
                problems.report(located.origin(), "pool " + pool + " is not inside the subnet " + subnet.subnet());
                continue;
            }
            reportIfContained(located, subnet.networkAddress(), "the network address", problems);
            reportIfContained(located, subnet.broadcastAddress(), "the broadcast address", problems);
            reportIfContained(located, subnet.router(), "the router (" + path.key("router") + ")", problems);
        }
    }

    private static void reportIfContained(Located<PoolConfig> pool, Inet4Address address, String what,
            Problems problems) {
        if (pool.value().contains(address)) {
            problems.report(pool.origin(), "pool " + pool.value() + " contains " + address.getHostAddress() + ", "
                    + what);
        }
    }
}
