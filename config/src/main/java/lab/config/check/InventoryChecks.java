package lab.config.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import lab.config.ConfigProblem;
import lab.config.Located;
import lab.config.Origin;
import lab.config.Problems;
import lab.config.SourceMap;
import lab.config.YamlPath;
import lab.config.model.ExtraInterface;
import lab.config.model.NetworkConfig;
import lab.config.model.PoolConfig;
import lab.config.model.Reservation;
import lab.config.model.VmRecord;

/**
 * Rules for {@code vms} across the document: profiles they name exist; MACs (extra interfaces included), addresses,
 * host names (ignoring case) and instance ids are each used once, also against {@code dhcp.reservations}; a VM's
 * address is a host of the subnet, not the appliance's own, and outside every pool (it becomes a reservation, and a
 * pool address could already be leased to another MAC). Each repeat is reported at the later value.
 */
public final class InventoryChecks {

    private InventoryChecks() {
    }

    /** Reports a VM profile or {@code metadata.default-profile} that names no profile. */
    public static void checkProfileNames(Set<String> profiles, List<Located<VmRecord>> vms,
            Optional<Located<String>> defaultProfile, SourceMap sources, Problems problems) {
        for (Located<VmRecord> vm : vms) {
            vm.value().profile().filter(name -> !profiles.contains(name)).ifPresent(name -> sources
                    .at(vm.origin().path().key("profile"))
                    .ifPresent(at -> problems.report(at, unknownProfile(name, profiles))));
        }
        defaultProfile.filter(name -> !profiles.contains(name.value()))
                .ifPresent(name -> problems.report(name.origin(), unknownProfile(name.value(), profiles)));
    }

    /** Reports values that an earlier reservation or VM already uses. */
    public static void checkUnique(List<Located<Reservation>> reservations, List<Located<VmRecord>> vms,
            SourceMap sources, Problems problems) {
        List<Claim> macs = new ArrayList<>();
        List<Claim> ips = new ArrayList<>();
        List<Claim> hostnames = new ArrayList<>();
        List<Claim> instanceIds = new ArrayList<>();
        for (Located<Reservation> r : reservations) {
            YamlPath path = r.origin().path();
            claim(macs, r.value().mac(), path, "mac", "reserved by", sources);
            claim(ips, r.value().ip().getHostAddress(), path, "ip", "reserved by", sources);
            r.value().hostname().ifPresent(name -> claim(hostnames, lower(name), path, "hostname", "reserved by",
                    sources));
        }
        int reserved = macs.size();
        for (Located<VmRecord> located : vms) {
            VmRecord vm = located.value();
            YamlPath path = located.origin().path();
            claim(macs, vm.mac(), path, "mac", "used by", sources);
            vm.ip().ifPresent(ip -> claim(ips, ip.getHostAddress(), path, "ip", "used by", sources));
            vm.hostname().ifPresent(name -> claim(hostnames, lower(name), path, "hostname", "used by", sources));
            vm.instanceId().ifPresent(id -> claim(instanceIds, id, path, "instance-id", "used by", sources));
            List<ExtraInterface> nics = vm.interfaces();
            for (int i = 0; i < nics.size(); i++) {
                claim(macs, nics.get(i).mac(), path.key("interfaces").index(i), "mac", "used by", sources);
            }
        }
        reportRepeats(macs, "MAC ", problems);
        reportRepeats(ips, "", problems);
        reportRepeats(hostnames, "host name ", problems);
        reportRepeats(instanceIds, "instance id ", problems);
    }

    /** Reports VM addresses outside the subnet, equal to the appliance's own, or inside a pool. */
    public static void checkAgainstNetwork(NetworkConfig network, List<Located<PoolConfig>> pools,
            List<Located<VmRecord>> vms, SourceMap sources, Problems problems) {
        for (Located<VmRecord> vm : vms) {
            Optional<Origin> origin = sources.at(vm.origin().path().key("ip"));
            if (vm.value().ip().isEmpty() || origin.isEmpty()) {
                continue;
            }
            var ip = vm.value().ip().get();
            Origin at = origin.get();
            if (!network.isHostInSubnet(ip)) {
                problems.report(at, ip.getHostAddress() + " is not a host address in the subnet " + network.subnet());
            } else if (ip.equals(network.address())) {
                problems.report(at, ip.getHostAddress() + " is the appliance's own address (network.address)");
            } else {
                pools.stream().filter(pool -> pool.value().contains(ip)).findFirst().ifPresent(pool -> problems
                        .report(at, ip.getHostAddress() + " is inside the pool " + pool.value() + " ("
                                + pool.origin().path() + "; expected an address outside the pools)"));
            }
        }
    }

    private static String unknownProfile(String name, Set<String> profiles) {
        return "unknown profile " + ConfigProblem.quote(name) + (profiles.isEmpty() ? " (no profiles are defined)"
                : " (expected one of: " + String.join(", ", profiles) + ")");
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static void claim(List<Claim> claims, String value, YamlPath owner, String key, String verb,
            SourceMap sources) {
        sources.at(owner.key(key)).ifPresent(at -> claims.add(new Claim(value, at, owner, verb)));
    }

    // Claims are compared in file order so "already used" always points backwards, whichever section came first.
    private static void reportRepeats(List<Claim> claims, String label, Problems problems) {
        List<Claim> ordered = new ArrayList<>(claims);
        ordered.sort(Comparator.comparingInt((Claim c) -> c.at().line()).thenComparingInt(c -> c.at().column()));
        for (int later = 0; later < ordered.size(); later++) {
            Claim claim = ordered.get(later);
            ordered.subList(0, later).stream()
                    .filter(earlier -> earlier.value().equals(claim.value()))
                    // repeats among dhcp.reservations are ReservationChecks' to report
                    .filter(earlier -> !(claim.reservation() && earlier.reservation()))
                    .findFirst()
                    .ifPresent(earlier -> problems.report(claim.at(), label + claim.value() + " is already "
                            + earlier.verb() + " " + earlier.owner() + " (line " + earlier.at().line() + ")"));
        }
    }

    private record Claim(String value, Origin at, YamlPath owner, String verb) {

        boolean reservation() {
            return verb.equals("reserved by");
        }
    }
}
