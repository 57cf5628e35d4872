package lab.appliance.inventory;

import java.net.Inet4Address;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import lab.config.model.Reservation;
import lab.dhcp.MacAddress;
import lab.dhcp.engine.HostCatalog;
import lab.dhcp.engine.HostEntry;

/**
 * The DHCP engine's view of the inventory: a MAC's fixed address (from {@code dhcp.reservations} and
 * {@code vms[].ip}), its hostname (reservation, record, or profile pattern) for option 12 and its profile's name.
 * Its {@link #lookup} is where a new MAC is given its profile ({@link Inventory#assign}); the others only read.
 */
public final class InventoryHostCatalog implements HostCatalog {

    private final Map<MacAddress, Reservation> byMac = new HashMap<>();
    private final Map<Inet4Address, MacAddress> byIp = new HashMap<>();
    private final Inventory inventory;
    private final VmHostnames hostnames;

    /** @param reservations every fixed address, validated by the config loader (no MAC or address twice) */
    public InventoryHostCatalog(List<Reservation> reservations, Inventory inventory, VmHostnames hostnames) {
        for (Reservation r : reservations) {
            MacAddress mac = MacAddress.parse(r.mac());
            byMac.put(mac, r);
            byIp.put(r.ip(), mac);
        }
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.hostnames = Objects.requireNonNull(hostnames, "hostnames");
    }

    @Override
    public HostEntry lookup(MacAddress mac, Optional<String> vendorClass) {
        Reservation reservation = byMac.get(mac);
        Optional<Inet4Address> fixed = Optional.ofNullable(reservation).map(Reservation::ip);
        // Even a reserved MAC is assigned here: its profile goes in the lease, and this is the step that decides.
        VmIdentity vm = inventory.assign(mac.toString(), vendorClass);
        Optional<String> hostname = Optional.ofNullable(reservation).flatMap(Reservation::hostname)
                .or(() -> hostnames.configured(vm));
        return new HostEntry(fixed, hostname, vm.profileName());
    }

    @Override
    public Optional<Inet4Address> fixedAddress(MacAddress mac) {
        return Optional.ofNullable(byMac.get(mac)).map(Reservation::ip);
    }

    @Override
    public Optional<MacAddress> reservedFor(Inet4Address ip) {
        return Optional.ofNullable(byIp.get(ip));
    }

    @Override
    public boolean knows(MacAddress mac, Optional<String> vendorClass) {
        return byMac.containsKey(mac) || inventory.knows(mac.toString(), vendorClass);
    }
}
