package lab.config.check;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import lab.config.Located;
import lab.config.Origin;
import lab.config.Problems;
import lab.config.SourceMap;
import lab.config.YamlPath;
import lab.config.model.NetworkConfig;
import lab.config.model.Reservation;
import lab.config.model.SubnetConfig;

/**
 * Rules for {@code dhcp.reservations} and {@code subnets[].reservations}: each MAC, address and host name appears
 * once across all of them, and each address is a host of its subnet other than the appliance itself (for
 * {@code dhcp}) or the subnet's router (for {@code subnets}). A reservation inside a pool is allowed: the allocator never hands
 * that address to another MAC.
 */
public final class ReservationChecks {

    private ReservationChecks() {
    }

    /**
     * Reports a MAC, address or host name that an earlier reservation already has, naming it and its line.
     *
     * @param reservations every reservation of the document, in file order
     */
    public static void checkUnique(List<Located<Reservation>> reservations, SourceMap sources, Problems problems) {
        for (int later = 0; later < reservations.size(); later++) {
            List<Located<Reservation>> earlier = reservations.subList(0, later);
            Located<Reservation> reservation = reservations.get(later);
            reportRepeat(reservation, earlier, "mac", Reservation::mac, "MAC ", sources, problems);
            reportRepeat(reservation, earlier, "ip", r -> r.ip().getHostAddress(), "", sources, problems);
            reportRepeat(reservation, earlier, "hostname",
                    r -> r.hostname().map(name -> name.toLowerCase(Locale.ROOT)).orElse(null), "host name ",
                    sources, problems);
        }
    }

    /** Reports reserved addresses outside the subnet or equal to the appliance's own address. */
    public static void checkAgainstNetwork(NetworkConfig network, List<Located<Reservation>> reservations,
            SourceMap sources, Problems problems) {
        for (Located<Reservation> reservation : reservations) {
            var ip = reservation.value().ip();
            Optional<Origin> origin = sources.at(reservation.origin().path().key("ip"));
            if (!network.isHostInSubnet(ip)) {
                origin.ifPresent(at -> problems.report(at, ip.getHostAddress()
                        + " is not a host address in the subnet " + network.subnet()));
            } else if (ip.equals(network.address())) {
                origin.ifPresent(at -> problems.report(at, ip.getHostAddress()
                        + " is the appliance's own address (network.address)"));
            }
        }
    }

    /** Reports reserved addresses outside the relayed subnet or equal to its router. */
    public static void checkAgainstSubnet(SubnetConfig subnet, YamlPath path, List<Located<Reservation>> reservations,
            SourceMap sources, Problems problems) {
        for (Located<Reservation> reservation : reservations) {
            var ip = reservation.value().ip();
            Optional<Origin> origin = sources.at(reservation.origin().path().key("ip"));
            if (!subnet.isHostInSubnet(ip)) {
                origin.ifPresent(at -> problems.report(at, ip.getHostAddress()
                        + " is not a host address in the subnet " + subnet.subnet()));
            } else if (ip.equals(subnet.router())) {
                origin.ifPresent(at -> problems.report(at, ip.getHostAddress() + " is the subnet's router ("
                        + path.key("router") + ")"));
            }
        }
    }

    private static void reportRepeat(Located<Reservation> reservation, List<Located<Reservation>> earlier, String key,
            Function<Reservation, String> value, String label, SourceMap sources, Problems problems) {
        String mine = value.apply(reservation.value());
        if (mine == null) {
            return;
        }
        earlier.stream()
                .filter(other -> mine.equals(value.apply(other.value())))
                .findFirst()
                .ifPresent(other -> {
                    Origin first = sources.at(other.origin().path().key(key)).orElse(other.origin());
                    sources.at(reservation.origin().path().key(key)).ifPresent(at -> problems.report(at,
                            label + mine + " is already reserved by " + other.origin().path() + " (line "
                                    + first.line() + ")"));
                });
    }
}
