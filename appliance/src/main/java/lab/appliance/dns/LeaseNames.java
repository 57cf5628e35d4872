package lab.appliance.dns;

import java.net.Inet4Address;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import lab.appliance.inventory.LiveInventory;
import lab.appliance.inventory.VmHostnames;
import lab.dhcp.MacAddress;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseListener;
import lab.dhcp.lease.LeaseState;
import lab.dhcp.lease.LeaseView;
import lab.dns.LabNames;

/**
 * Keeps the DNS server's names in step with the lease table: an active lease's VM is found under the name the
 * metadata service gives it (its record's or profile's hostname, else the name its DHCP client sent) and always
 * under {@code ip-10-20-1-5}, the name an unnamed VM gives itself, as on EC2; a released, declined or expired lease
 * takes its names away. When the inventory changes, every held name is worked out again.
 */
public final class LeaseNames implements LeaseListener {

    /** One DNS label, RFC 1123: what a client-sent hostname must be to be published. */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private final LabNames names;
    private final LiveInventory inventory;
    private final VmHostnames hostnames;
    private final LeaseView leases;
    private final Clock clock;

    public LeaseNames(LabNames names, LiveInventory inventory, VmHostnames hostnames, LeaseView leases, Clock clock) {
        this.names = Objects.requireNonNull(names, "names");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.hostnames = Objects.requireNonNull(hostnames, "hostnames");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Publishes every active lease in the table; before DHCP starts, so no change can race it. */
    public void fill() {
        leases.all().forEach(lease -> leaseChanged(Optional.empty(), lease));
    }

    @Override
    public void leaseChanged(Optional<Lease> before, Lease after) {
        String owner = after.mac().toString();
        if (after.state() == LeaseState.ACTIVE && after.expires().isAfter(clock.instant())) {
            names.put(owner, after.ip(), namesOf(after.mac(), after.ip(), after.hostname()), after.expires());
        } else {
            names.remove(owner, after.ip());
        }
    }

    /** Works out every published VM's names again (a reload or an API edit changed hostnames). */
    public void inventoryChanged() {
        names.owners().forEach((owner, ip) -> leases.byIp(ip)
                .filter(lease -> lease.mac().toString().equals(owner))
                .ifPresent(lease -> names.rename(owner, ip, namesOf(lease.mac(), ip, lease.hostname()))));
    }

    private List<String> namesOf(MacAddress mac, Inet4Address ip, String sent) {
        List<String> all = new ArrayList<>(2);
        Optional<String> configured = hostnames.configured(inventory.identify(mac.toString()));
        configured.or(() -> clientName(sent)).ifPresent(all::add);
        all.add(VmHostnames.fromAddress(ip.getHostAddress()));
        return all;
    }

    /** The first label of what the client sent, if it is a valid one: {@code web1.example} publishes {@code web1}. */
    private static Optional<String> clientName(String sent) {
        int dot = sent.indexOf('.');
        String label = (dot < 0 ? sent : sent.substring(0, dot)).toLowerCase(Locale.ROOT);
        return LABEL.matcher(label).matches() ? Optional.of(label) : Optional.empty();
    }
}
