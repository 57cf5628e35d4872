package lab.appliance.inventory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * Caller address → the VM served there: a map of leased address → instance with its trees built, so a metadata
 * request is a lease check and a map lookup. No lease, no instance.
 *
 * <p>An address's entry is built by the first request after its lease or the inventory changed, then kept: a lease
 * change drops the entry unless the address is still leased to the same MAC (a renewal changes nothing served)
 * ({@link #leaseChanged}); a new inventory replaces the whole map by an empty one ({@link #rebuild}). Built at the
 * first request rather than at the change, because a lease table fills far faster than VMs ask: building every
 * VM's trees at its ACK cost the DHCP path about a third of its capacity under a flood, and held the trees of
 * 50,000 perfdhcp clients that never ask. Each lookup still asks the lease table, and an entry counts only while
 * its address is leased to the entry's MAC (a lease expires without an event until it is reclaimed).
 *
 * <p>Each map belongs to one inventory: an entry built from an inventory that has since been replaced goes into
 * the old map, which nobody reads any more.
 */
public final class InventoryDirectory implements InstanceDirectory, LeaseListener {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryDirectory.class);

    private record Entry(MacAddress mac, ServedInstance served) {
    }

    /** The entries built from one inventory. */
    private record Generation(InventoryInstances source, ConcurrentHashMap<Inet4Address, Entry> byIp) {
    }

    private final LeaseView leases;
    private final AtomicReference<Generation> current;

    /** Serves every active lease from {@code instances}, each built at its first request. */
    InventoryDirectory(LeaseView leases, InventoryInstances instances) {
        this.leases = Objects.requireNonNull(leases, "leases");
        this.current = new AtomicReference<>(new Generation(instances, new ConcurrentHashMap<>()));
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
        Generation generation = current.get();
        MacAddress mac = lease.get().mac();
        Entry entry = generation.byIp().get(ip);
        if (entry != null && entry.mac().equals(mac)) {
            return Optional.of(entry.served());
        }
        // First request since a change: built once (concurrent first requests of one VM wait for the same build).
        return Optional.of(generation.byIp().compute(ip, (key, old) -> old != null && old.mac().equals(mac)
                ? old : new Entry(mac, generation.source().served(lease.get()))).served());
    }

    /** Drops the changed address's entry unless it is still leased to the same MAC. */
    @Override
    public void leaseChanged(Optional<Lease> before, Lease after) {
        Inet4Address ip = after.ip();
        Optional<MacAddress> holder = leases.activeByIp(ip).map(Lease::mac);
        current.get().byIp().computeIfPresent(ip, (key, entry) ->
                holder.filter(entry.mac()::equals).isPresent() ? entry : null);
    }

    /** Makes {@code instances} (a new inventory) the source of every answer from now on. */
    void rebuild(InventoryInstances instances) {
        current.set(new Generation(instances, new ConcurrentHashMap<>()));
        LOG.debug("metadata answers will be built from the new inventory");
    }

    /** What the map holds for {@code ip} now, without building: tests tell a lookup's work from a change's. */
    Optional<ServedInstance> published(Inet4Address ip) {
        return Optional.ofNullable(current.get().byIp().get(ip)).map(Entry::served);
    }
}
