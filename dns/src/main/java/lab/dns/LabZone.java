package lab.dns;

import java.net.InetAddress;
import java.net.Inet4Address;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The lab's authoritative data as questions see it: {@code <host>.<domain>} and the bare {@code <host>} resolve to a
 * VM's address (a fixed name first, then its lease's), {@code data-server} to the appliance, every address of a lab
 * subnet back to its name; the zone and each reverse zone have an SOA and one NS, the appliance. A name under the
 * zone that nobody holds is NXDOMAIN; a question about any other name is not the zone's ({@link Optional#empty}).
 */
final class LabZone {

    private static final long REFRESH = 3600;
    private static final long RETRY = 600;
    private static final long EXPIRE = 86_400;
    /** Labels of a full reverse name, {@code 5.1.20.10.in-addr.arpa.}: four octets, two labels and the root. */
    private static final int REVERSE_LABELS = 7;

    private final ZoneSettings settings;
    private final LabNames names;
    private final Name origin;
    private final Name nameServer;
    private final long ttl;
    private final long serialBase;
    private final Map<Inet4Address, String> fixedReverse = new HashMap<>();

    LabZone(ZoneSettings settings, LabNames names, long serialBase) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.names = Objects.requireNonNull(names, "names");
        this.origin = absolute(settings.domain());
        this.nameServer = child(ZoneSettings.DATA_SERVER, origin);
        this.ttl = settings.ttl().getSeconds();
        this.serialBase = serialBase;
        settings.fixed().forEach((name, ip) -> fixedReverse.putIfAbsent(ip, name));
    }

    /** The zone's answer to a question about {@code qname} of {@code type}, or empty if the name is not the zone's. */
    Optional<ZoneAnswer> answer(Name qname, int type) {
        if (qname.equals(origin)) {
            return Optional.of(apex(origin, type));
        }
        if (qname.subdomain(origin)) {
            if (qname.labels() != origin.labels() + 1) {
                return Optional.of(ZoneAnswer.noSuchName(true, soa(origin)));
            }
            return Optional.of(host(qname, qname.getLabelString(0), type, true));
        }
        for (LabNetwork network : settings.networks()) {
            Name reverseZone = network.reverseZone();
            if (qname.equals(reverseZone)) {
                return Optional.of(apex(reverseZone, type));
            }
            if (qname.subdomain(reverseZone)) {
                return Optional.of(reverse(qname, reverseZone, network, type));
            }
        }
        if (qname.labels() == 2) {
            // A bare host name (no dots): the lab's if anyone holds it; never sent upstream, as dnsmasq's domain-needed.
            return Optional.of(host(qname, qname.getLabelString(0), type, false));
        }
        return Optional.empty();
    }

    private ZoneAnswer apex(Name apex, int type) {
        return switch (type) {
            case Type.SOA -> ZoneAnswer.found(true, soa(apex), List.of());
            case Type.NS -> ZoneAnswer.found(true, List.of(new NSRecord(apex, DClass.IN, ttl, nameServer)),
                    List.of(new ARecord(nameServer, DClass.IN, ttl, settings.server())));
            case Type.ANY -> ZoneAnswer.found(true, List.of(soa(apex).get(0),
                    new NSRecord(apex, DClass.IN, ttl, nameServer)), List.of());
            default -> ZoneAnswer.noData(true, soa(apex));
        };
    }

    private ZoneAnswer host(Name qname, String label, int type, boolean authoritative) {
        Optional<Inet4Address> address = addressOf(label);
        List<Record> negative = authoritative ? soa(origin) : List.of();
        if (address.isEmpty()) {
            return ZoneAnswer.noSuchName(authoritative, negative);
        }
        if (type == Type.A || type == Type.ANY) {
            return ZoneAnswer.found(authoritative, List.of(new ARecord(qname, DClass.IN, ttl, address.get())),
                    List.of());
        }
        return ZoneAnswer.noData(authoritative, negative);
    }

    private Optional<Inet4Address> addressOf(String label) {
        if (label.equalsIgnoreCase(ZoneSettings.DATA_SERVER)) {
            return Optional.of(settings.server());
        }
        Inet4Address fixed = settings.fixed().get(label.toLowerCase(java.util.Locale.ROOT));
        return fixed != null ? Optional.of(fixed) : names.address(label);
    }

    private ZoneAnswer reverse(Name qname, Name reverseZone, LabNetwork network, int type) {
        if (qname.labels() != REVERSE_LABELS) {
            // 1.20.10.in-addr.arpa. has names below it: an empty non-terminal, NODATA rather than NXDOMAIN.
            return qname.labels() < REVERSE_LABELS ? ZoneAnswer.noData(true, soa(reverseZone))
                    : ZoneAnswer.noSuchName(true, soa(reverseZone));
        }
        Optional<Inet4Address> ip = parseReverse(qname);
        Optional<String> name = ip.filter(network::contains).flatMap(this::nameOf);
        if (name.isEmpty()) {
            return ZoneAnswer.noSuchName(true, soa(reverseZone));
        }
        if (type != Type.PTR && type != Type.ANY) {
            return ZoneAnswer.noData(true, soa(reverseZone));
        }
        Optional<Name> target = childIfValid(name.get(), origin);
        if (target.isEmpty()) {
            return ZoneAnswer.noSuchName(true, soa(reverseZone));
        }
        return ZoneAnswer.found(true, List.of(new PTRRecord(qname, DClass.IN, ttl, target.get())), List.of());
    }

    private Optional<String> nameOf(Inet4Address ip) {
        Optional<String> leased = names.name(ip);
        if (leased.isPresent()) {
            return leased;
        }
        String fixed = fixedReverse.get(ip);
        if (fixed != null) {
            return Optional.of(fixed);
        }
        return ip.equals(settings.server()) ? Optional.of(ZoneSettings.DATA_SERVER) : Optional.empty();
    }

    private List<Record> soa(Name apex) {
        long serial = (serialBase + names.changes()) & 0xFFFF_FFFFL;
        return List.of(new SOARecord(apex, DClass.IN, ttl, nameServer, child("hostmaster", origin), serial,
                REFRESH, RETRY, EXPIRE, ttl));
    }

    private static Optional<Inet4Address> parseReverse(Name qname) {
        byte[] octets = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = octet(qname.getLabelString(i));
            if (value < 0) {
                return Optional.empty();
            }
            octets[3 - i] = (byte) value;
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(octets));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** A decimal octet without leading zeros (0 to 255), or -1: every PTR question passes here, so no regex. */
    private static int octet(String label) {
        int length = label.length();
        if (length == 0 || length > 3 || (length > 1 && label.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < length; i++) {
            char c = label.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 255 ? value : -1;
    }

    private static Name absolute(String domain) {
        try {
            return Name.fromString(domain.endsWith(".") ? domain : domain + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: " + domain, e);
        }
    }

    private static Name child(String label, Name parent) {
        return childIfValid(label, parent).orElseThrow(() -> new IllegalArgumentException("not a label: " + label));
    }

    private static Optional<Name> childIfValid(String label, Name parent) {
        try {
            return Optional.of(Name.concatenate(Name.fromString(label), parent));
        } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
            return Optional.empty();
        }
    }
}
