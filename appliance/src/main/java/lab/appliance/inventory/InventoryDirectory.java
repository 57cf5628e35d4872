package lab.appliance.inventory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import lab.dhcp.MacAddress;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseListener;
import lab.dhcp.lease.LeaseView;
import lab.metadata.InstanceDirectory;
import lab.metadata.ServedInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caller address → the VM served there: one immutable map of leased address → instance with its trees built,
 * swapped whole, so a metadata request is a lease check and a map lookup. No lease, no instance.
 *
 * <p>The map follows events, not requests: a lease change rebuilds its address's entry from the current inventory,
 * or drops it when the address is no longer leased ({@link #leaseChanged}); a new inventory rebuilds every entry
 * ({@link #rebuild}). Each lookup still asks the lease table, and an entry counts only while its address is leased
 * to the entry's MAC: a lease expires without an event until it is reclaimed, and lease listeners may run a moment
 * after the ACK left. An active lease without its entry (a VM asking right after its ACK) gets it built there, once,
 * and published.
 *
 * <p>Every published map was built wholly from the inventory it names: a one-address change made against an
 * inventory that has since been replaced is rebuilt from the new one before it is published.
 */
public final class InventoryDirectory implements InstanceDirectory, LeaseListener {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryDirectory.class);

    private record Entry(MacAddress mac, ServedInstance served) {
    }

    /** One published map: the entries and the inventory they were built from. */
    private record Published(InventoryInstances source, Map<Inet4Address, Entry> byIp) {

        Published with(Inet4Address ip, Optional<Entry> entry) {
            Map<Inet4Address, Entry> next = new HashMap<>(byIp);
            entry.ifPresentOrElse(e -> next.put(ip, e), () -> next.remove(ip));
            return new Published(source, Map.copyOf(next));
        }
    }

    private final LeaseView leases;
    private final AtomicReference<Published> published;

    /** Builds the entries of every active lease from {@code instances}. */
    InventoryDirectory(LeaseView leases, InventoryInstances instances) {
        this.leases = Objects.requireNonNull(leases, "leases");
        this.published = new AtomicReference<>(new Published(instances, Map.of()));
        rebuild(instances);
    }

    @Override
    public Optional<ServedInstance> byAddress(InetAddress caller) {
        if (!(caller instanceof Inet4Address ip)) {
            return Optional.empty();
        }
        Optional<Lease> lease = leases.activeByIp(ip);
        if (lease.isEmpty()) {
            return Optional.empty();
        }
        Entry entry = published.get().byIp().get(ip);
        if (entry != null && entry.mac().equals(lease.get().mac())) {
            return Optional.of(entry.served());
        }
        // Leased a moment ago (its listener has not run yet) or to another MAC since: build it now, for everyone.
        return publish(ip, lease).map(Entry::served);
    }

    /** Rebuilds (or drops) the changed address's entry; a failure is logged, and the address's next request retries. */
    @Override
    public void leaseChanged(Optional<Lease> before, Lease after) {
        Inet4Address ip = after.ip();
        try {
            publish(ip, leases.activeByIp(ip));
        } catch (RuntimeException e) {
            LOG.warn("metadata not built, not served ip={} mac={}", ip.getHostAddress(), after.mac(), e);
            drop(ip);
        }
    }

    /** Makes {@code instances} (a new inventory) the source of every entry, rebuilt now. */
    void rebuild(InventoryInstances instances) {
        Map<Inet4Address, Entry> byIp = new HashMap<>();
        for (Lease record : leases.all()) {
            // Rechecked by address: the snapshot holds every state, and a lease may have changed since.
            Optional<Lease> lease = leases.activeByIp(record.ip());
            if (lease.isEmpty()) {
                continue;
            }
            try {
                byIp.put(record.ip(), build(instances, lease.get()));
            } catch (RuntimeException e) {
                // One VM's failure must not cost the others their answers.
                LOG.warn("metadata not built, not served ip={} mac={}", record.ip().getHostAddress(),
                        lease.get().mac(), e);
            }
        }
        // A one-address publish racing this one either lands before (and is replaced: its next lookup builds it
        // again) or fails its compare-and-set and is rebuilt from these instances.
        published.set(new Published(instances, Map.copyOf(byIp)));
    }

    /**
     * Publishes {@code ip}'s entry for {@code lease} (none without a lease), built from the inventory being published
     * into. A lookup's build throws to its caller; a lease change's is caught by the listener.
     */
    private Optional<Entry> publish(Inet4Address ip, Optional<Lease> lease) {
        InventoryInstances builtFrom = null;
        Optional<Entry> entry = Optional.empty();
        while (true) {
            Published now = published.get();
            if (builtFrom != now.source()) {
                builtFrom = now.source();
                InventoryInstances source = builtFrom;
                entry = lease.map(l -> build(source, l));
            }
            if (published.compareAndSet(now, now.with(ip, entry))) {
                return entry;
            }
        }
    }

    private void drop(Inet4Address ip) {
        published.updateAndGet(now -> now.with(ip, Optional.empty()));
    }

    private static Entry build(InventoryInstances instances, Lease lease) {
        return new Entry(lease.mac(), instances.served(lease));
    }

    /** What the map holds for {@code ip} now, without building: tests tell the listener's work from a lookup's. */
    Optional<ServedInstance> published(Inet4Address ip) {
        return Optional.ofNullable(published.get().byIp().get(ip)).map(Entry::served);
    }
}
