package lab.config;

import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import lab.config.check.NetworkChecks;
import lab.config.model.NetworkConfig;

/** Binds the {@code network} section to a {@link NetworkConfig} and runs the checks that need nothing outside it. */
final class NetworkBinder {

    static final List<String> KEYS = List.of("interface", "address", "router", "dns", "domain", "ntp", "mtu");

    private final NodeReader nodes;

    NetworkBinder(NodeReader nodes) {
        this.nodes = nodes;
    }

    /**
     * The section's config, or empty when a required key is missing or wrong (already reported). Optional keys that
     * are wrong are reported and left out, so checks against the subnet still run.
     */
    Optional<NetworkConfig> bind(MappingReader network) {
        Optional<Located<String>> interfaceName = network.requiredScalar("interface", ScalarTypes.INTERFACE_NAME);
        Optional<Located<AddressWithPrefix>> address =
                network.requiredScalar("address", ScalarTypes.ADDRESS_WITH_PREFIX);
        Optional<Inet4Address> router = network.scalar("router", ScalarTypes.IPV4_ADDRESS).map(Located::value);
        List<Inet4Address> dns = values(network.scalarList("dns", ScalarTypes.IPV4_ADDRESS));
        Optional<String> domain = network.scalar("domain", ScalarTypes.HOSTNAME).map(Located::value);
        List<Inet4Address> ntp = values(network.scalarList("ntp", ScalarTypes.IPV4_ADDRESS));
        OptionalInt mtu = network.scalar("mtu", ScalarTypes.MTU)
                .map(located -> OptionalInt.of(located.value()))
                .orElse(OptionalInt.empty());
        if (interfaceName.isEmpty() || address.isEmpty()) {
            return Optional.empty();
        }
        AddressWithPrefix own = address.get().value();
        NetworkConfig config = new NetworkConfig(interfaceName.get().value(), own.address(), own.prefixLength(),
                router, dns, domain, ntp, mtu);
        NetworkChecks.check(config, nodes.sources(), nodes.problems());
        return Optional.of(config);
    }

    private static <T> List<T> values(Optional<List<Located<T>>> located) {
        return located.map(list -> list.stream().map(Located::value).toList()).orElse(List.of());
    }
}
