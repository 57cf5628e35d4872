package lab.config;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import lab.config.check.LeaseTimeChecks;
import lab.config.check.PoolChecks;
import lab.config.check.ReservationChecks;
import lab.config.check.SubnetChecks;
import lab.config.model.PoolConfig;
import lab.config.model.Reservation;
import lab.config.model.SubnetConfig;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Binds the optional top-level {@code subnets} list, one {@link SubnetConfig} per item, and runs the checks that need
 * nothing outside the item (pools and reservations inside the subnet, the router a host of it, the lease time).
 */
final class SubnetBinder {

    static final List<String> KEYS = List.of("subnet", "pools", "router", "dns", "domain", "ntp", "mtu",
            "reservations", "lease-time");

    private final NodeReader nodes;
    private final DhcpBinder lists;

    SubnetBinder(NodeReader nodes) {
        this.nodes = nodes;
        this.lists = new DhcpBinder(nodes);
    }

    /** The subnets, in file order, with their origins; a subnet with a required key missing or wrong is left out. */
    Bound bind(MappingReader top, String key) {
        List<Located<SubnetConfig>> subnets = new ArrayList<>();
        List<Located<Reservation>> reservations = new ArrayList<>();
        for (Located<Node> item : top.sequence(key).orElse(List.of())) {
            nodes.mapping(item.value(), item.origin().path(), KEYS).ifPresent(entry -> {
                List<Located<Reservation>> reserved = lists.bindReservations(entry);
                reservations.addAll(reserved);
                bindOne(entry, reserved).ifPresent(subnet -> subnets.add(new Located<>(subnet, item.origin())));
            });
        }
        return new Bound(subnets, reservations);
    }

    private Optional<SubnetConfig> bindOne(MappingReader entry, List<Located<Reservation>> reservations) {
        Optional<Located<AddressWithPrefix>> range = entry.requiredScalar("subnet", ScalarTypes.SUBNET);
        Optional<List<Located<PoolConfig>>> pools = lists.bindPools(entry);
        Optional<Located<Inet4Address>> router = entry.requiredScalar("router", ScalarTypes.IPV4_ADDRESS);
        List<Inet4Address> dns = values(entry.scalarList("dns", ScalarTypes.IPV4_ADDRESS));
        Optional<String> domain = entry.scalar("domain", ScalarTypes.HOSTNAME).map(Located::value);
        List<Inet4Address> ntp = values(entry.scalarList("ntp", ScalarTypes.IPV4_ADDRESS));
        OptionalInt mtu = entry.scalar("mtu", ScalarTypes.MTU)
                .map(located -> OptionalInt.of(located.value()))
                .orElse(OptionalInt.empty());
        Optional<Located<Duration>> leaseTime = entry.scalar("lease-time", ScalarTypes.DURATION);

        PoolChecks.checkOverlaps(pools.orElse(List.of()), nodes.problems());
        leaseTime.ifPresent(lease -> LeaseTimeChecks.check(lease, Optional.empty(), Optional.empty(),
                nodes.problems()));
        if (range.isEmpty() || pools.isEmpty() || router.isEmpty()) {
            return Optional.empty();
        }
        AddressWithPrefix block = range.get().value();
        SubnetConfig subnet = new SubnetConfig(block.address(), block.prefixLength(),
                pools.get().stream().map(Located::value).toList(), router.get().value(), dns, domain, ntp, mtu,
                reservations.stream().map(Located::value).toList(), leaseTime.map(Located::value));
        SubnetChecks.checkRouter(subnet, entry.path(), nodes.sources(), nodes.problems());
        PoolChecks.checkAgainstSubnet(subnet, entry.path(), pools.get(), nodes.problems());
        ReservationChecks.checkAgainstSubnet(subnet, entry.path(), reservations, nodes.sources(), nodes.problems());
        return Optional.of(subnet);
    }

    private static <T> List<T> values(Optional<List<Located<T>>> located) {
        return located.map(list -> list.stream().map(Located::value).toList()).orElse(List.of());
    }

    /**
     * The bound {@code subnets}: those whose required keys are good, and every reservation that could be read (also
     * of subnets left out), with origins, for the uniqueness checks across the document.
     */
    record Bound(List<Located<SubnetConfig>> subnets, List<Located<Reservation>> reservations) {

        Bound {
            subnets = List.copyOf(subnets);
            reservations = List.copyOf(reservations);
        }
    }
}
