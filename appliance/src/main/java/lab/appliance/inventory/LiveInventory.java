package lab.appliance.inventory;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import lab.config.model.ApplianceConfig;
import lab.dhcp.MacAddress;
import lab.dhcp.engine.HostCatalog;
import lab.dhcp.engine.HostEntry;
import lab.dhcp.lease.LeaseView;
import lab.metadata.userdata.UserDataRenderer;

/**
 * The inventory the DHCP engine and the metadata service consult, replaceable while they run: {@link #apply}
 * builds the catalog of a new config and swaps it in, and makes every served metadata answer come from it (each
 * built again at its VM's next request), so the next request of any VM sees the new records, reservations and
 * profiles while leases and connections stay as they are.
 */
public final class LiveInventory implements HostCatalog {

    private record Current(ApplianceConfig config, Inventory inventory, InventoryHostCatalog catalog,
                           InventoryInstances instances) {
    }

    private final ProfileAssignments assignments;
    private final VmHostnames hostnames;
    private final UserDataRenderer renderer;
    private final AtomicReference<Current> current = new AtomicReference<>();
    private final InventoryDirectory directory;
    private final List<Consumer<ApplianceConfig>> changeListeners = new CopyOnWriteArrayList<>();

    public LiveInventory(ApplianceConfig config, LeaseView leases, ProfileAssignments assignments,
                         VmHostnames hostnames, UserDataRenderer renderer) {
        this.assignments = Objects.requireNonNull(assignments, "assignments");
        this.hostnames = Objects.requireNonNull(hostnames, "hostnames");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        Current first = build(config);
        current.set(first);
        this.directory = new InventoryDirectory(Objects.requireNonNull(leases, "leases"), first.instances());
    }

    /** Makes {@code config}'s VMs, reservations and profiles the ones answered from now on. */
    public synchronized void apply(ApplianceConfig config) {
        Current next = build(config);
        current.set(next);
        directory.rebuild(next.instances());
        changeListeners.forEach(listener -> listener.accept(config));
    }

    /** Tells {@code listener} of every config applied from now on, after it is the one answered. */
    public void addChangeListener(Consumer<ApplianceConfig> listener) {
        changeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private Current build(ApplianceConfig config) {
        Inventory inventory = new Inventory(config.vms(), config.profiles(), config.metadata().defaultProfile(),
                assignments);
        return new Current(config, inventory, new InventoryHostCatalog(config.allReservations(), inventory, hostnames),
                new InventoryInstances(inventory, hostnames, renderer, config));
    }

    /**
     * Caller address → served VM, for the metadata and password servers. It follows the lease table once registered
     * as its listener; until then an address's answer is built at its first request.
     */
    public InventoryDirectory directory() {
        return directory;
    }

    /**
     * Who {@code mac} is now, as decided so far (fleet labels, boot diagnosis): a pure read. Only the DHCP engine's
     * {@link #lookup} gives a new MAC its profile.
     */
    public VmIdentity identify(String mac) {
        return current.get().inventory().identify(mac);
    }

    /** The config whose inventory is being answered. */
    public ApplianceConfig config() {
        return current.get().config();
    }

    @Override
    public HostEntry lookup(MacAddress mac, Optional<String> vendorClass) {
        return current.get().catalog().lookup(mac, vendorClass);
    }

    @Override
    public Optional<Inet4Address> fixedAddress(MacAddress mac) {
        return current.get().catalog().fixedAddress(mac);
    }

    @Override
    public Optional<MacAddress> reservedFor(Inet4Address ip) {
        return current.get().catalog().reservedFor(ip);
    }

    @Override
    public boolean knows(MacAddress mac, Optional<String> vendorClass) {
        return current.get().catalog().knows(mac, vendorClass);
    }
}
