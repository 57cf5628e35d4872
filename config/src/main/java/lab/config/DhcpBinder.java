package lab.config;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import lab.config.check.LeaseTimeChecks;
import lab.config.check.PoolChecks;
import lab.config.model.DhcpConfig;
import lab.config.model.PoolConfig;
import lab.config.model.Reservation;
import lab.config.model.UnknownClientsConfig;
import org.yaml.snakeyaml.nodes.Node;

/** Binds the {@code dhcp} section and runs the checks that need nothing outside it. */
final class DhcpBinder {

    static final List<String> KEYS = List.of("pools", "lease-time", "renew-time", "rebind-time", "offer-hold",
            "decline-hold", "journal", "reservations", "unknown-clients");
    static final List<String> JOURNAL_KEYS = List.of("compact-every");
    static final List<String> UNKNOWN_CLIENT_KEYS = List.of("pool-share", "rate-limit");
    static final List<String> RESERVATION_KEYS = List.of("mac", "ip", "hostname");

    private final NodeReader nodes;

    DhcpBinder(NodeReader nodes) {
        this.nodes = nodes;
    }

    DhcpSection bind(MappingReader dhcp) {
        Optional<List<Located<PoolConfig>>> pools = bindPools(dhcp);
        Optional<Located<Duration>> leaseTime = dhcp.requiredScalar("lease-time", ScalarTypes.DURATION);
        Optional<Located<Duration>> renewTime = dhcp.scalar("renew-time", ScalarTypes.DURATION);
        Optional<Located<Duration>> rebindTime = dhcp.scalar("rebind-time", ScalarTypes.DURATION);
        Duration offerHold = duration(dhcp, "offer-hold", DhcpConfig.DEFAULT_OFFER_HOLD);
        Duration declineHold = duration(dhcp, "decline-hold", DhcpConfig.DEFAULT_DECLINE_HOLD);
        Duration compactEvery = dhcp.mapping("journal", JOURNAL_KEYS)
                .flatMap(journal -> journal.scalar("compact-every", ScalarTypes.DURATION))
                .map(Located::value)
                .orElse(DhcpConfig.DEFAULT_COMPACT_EVERY);
        List<Located<Reservation>> reservations = bindReservations(dhcp);
        UnknownClientsConfig unknownClients = dhcp.mapping("unknown-clients", UNKNOWN_CLIENT_KEYS)
                .map(DhcpBinder::bindUnknownClients)
                .orElse(UnknownClientsConfig.DEFAULTS);

        PoolChecks.checkOverlaps(pools.orElse(List.of()), nodes.problems());
        // Reservations are unique across dhcp and every subnet: ApplianceBinder checks them all at once.
        leaseTime.ifPresent(lease -> LeaseTimeChecks.check(lease, renewTime, rebindTime, nodes.problems()));

        Optional<DhcpConfig> config = Optional.empty();
        if (pools.isPresent() && leaseTime.isPresent()) {
            Duration lease = leaseTime.get().value();
            config = Optional.of(new DhcpConfig(
                    pools.get().stream().map(Located::value).toList(),
                    lease,
                    renewTime.map(Located::value).orElse(DhcpConfig.defaultRenewTime(lease)),
                    rebindTime.map(Located::value).orElse(DhcpConfig.defaultRebindTime(lease)),
                    offerHold, declineHold, compactEvery,
                    reservations.stream().map(Located::value).toList(), unknownClients));
        }
        return new DhcpSection(config, pools.orElse(List.of()), reservations);
    }

    // Empty when the list is missing, not a list or empty (all reported). A bad item is reported and left out, so
    // the good ones can still be checked against each other and the network. A subnet's pools are written alike.
    Optional<List<Located<PoolConfig>>> bindPools(MappingReader dhcp) {
        Optional<List<Located<Node>>> items = dhcp.requiredSequence("pools");
        if (items.isEmpty()) {
            return Optional.empty();
        }
        if (items.get().isEmpty()) {
            dhcp.get("pools").ifPresent(node -> nodes.problems().report(Origin.of(dhcp.path().key("pools"), node),
                    "expected at least one pool"));
            return Optional.empty();
        }
        List<Located<PoolConfig>> pools = new ArrayList<>();
        for (Located<Node> item : items.get()) {
            nodes.scalar(item.value(), item.origin().path(), ScalarTypes.POOL).ifPresent(pools::add);
        }
        return Optional.of(pools);
    }

    // A subnet's reservations are written alike.
    List<Located<Reservation>> bindReservations(MappingReader dhcp) {
        List<Located<Reservation>> reservations = new ArrayList<>();
        for (Located<Node> item : dhcp.sequence("reservations").orElse(List.of())) {
            YamlPath path = item.origin().path();
            nodes.mapping(item.value(), path, RESERVATION_KEYS).ifPresent(entry -> {
                Optional<Located<String>> mac = entry.requiredScalar("mac", ScalarTypes.MAC);
                Optional<Located<Inet4Address>> ip = entry.requiredScalar("ip", ScalarTypes.IPV4_ADDRESS);
                Optional<String> hostname = entry.scalar("hostname", ScalarTypes.HOSTNAME).map(Located::value);
                if (mac.isPresent() && ip.isPresent()) {
                    reservations.add(new Located<>(
                            new Reservation(mac.get().value(), ip.get().value(), hostname), item.origin()));
                }
            });
        }
        return reservations;
    }

    private static UnknownClientsConfig bindUnknownClients(MappingReader section) {
        OptionalInt poolShare = section.scalar("pool-share", ScalarTypes.POOL_SHARE)
                .map(located -> OptionalInt.of(located.value()))
                .orElse(OptionalInt.empty());
        int rateLimit = section.scalar("rate-limit", ScalarTypes.NEW_CLIENT_RATE).map(Located::value)
                .orElse(UnknownClientsConfig.DEFAULT_RATE_LIMIT);
        return new UnknownClientsConfig(poolShare, rateLimit);
    }

    private static Duration duration(MappingReader dhcp, String key, Duration fallback) {
        return dhcp.scalar(key, ScalarTypes.DURATION).map(Located::value).orElse(fallback);
    }
}
