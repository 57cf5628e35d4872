package lab.dns;

import java.net.Inet4Address;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of leased VMs, kept up to date change by change: each owner (a VM's MAC) holds one address and the
 * names that point at it. A new lease for an owner replaces its old address and names; a name claimed by another
 * owner moves to the newer lease, as dnsmasq does. Reads are lock-free and see an entry's expiry, so a lease that
 * ran out stops answering even before the lease table reclaims it.
 */
public final class LabNames {

    /** One owner's address, names (first is the one PTR answers with) and the instant its lease ends. */
    record Entry(String owner, Inet4Address address, List<String> names, Instant expires) {

        /** Milliseconds are enough here, and far cheaper to read than the clock's Instant on every question. */
        long expiresMillis() {
            return expires.toEpochMilli();
        }
    }

    private final Clock clock;
    private final Map<String, Entry> byOwner = new ConcurrentHashMap<>();
    private final Map<String, Entry> byName = new ConcurrentHashMap<>();
    private final Map<Inet4Address, Entry> byAddress = new ConcurrentHashMap<>();
    private volatile long changes;

    public LabNames(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Makes {@code names} (bare host names; the first is the one the address resolves back to) point at
     * {@code address} for {@code owner} until {@code expires}, replacing whatever the owner held before.
     */
    public synchronized void put(String owner, Inet4Address address, List<String> names, Instant expires) {
        List<String> normal = names.stream().map(LabNames::normal).distinct().toList();
        if (normal.isEmpty()) {
            throw new IllegalArgumentException("no name for " + address.getHostAddress());
        }
        Entry next = new Entry(owner, address, normal, expires);
        if (next.equals(byOwner.get(owner))) {
            return;
        }
        dropOwner(owner);
        Entry displaced = byAddress.get(address);
        if (displaced != null) {
            dropOwner(displaced.owner());
        }
        byOwner.put(owner, next);
        byAddress.put(address, next);
        normal.forEach(name -> byName.put(name, next));
        changes++;
    }

    /** Forgets {@code owner}'s names if it still holds {@code address} (a released or expired lease). */
    public synchronized void remove(String owner, Inet4Address address) {
        Entry held = byOwner.get(owner);
        if (held != null && held.address().equals(address)) {
            dropOwner(owner);
            changes++;
        }
    }

    /**
     * Gives {@code owner} new names for the address it holds, if it still holds {@code address} (the inventory
     * changed a VM's hostname; a lease that moved meanwhile was already given names from the new inventory).
     */
    public synchronized void rename(String owner, Inet4Address address, List<String> names) {
        Entry held = byOwner.get(owner);
        if (held != null && held.address().equals(address)) {
            put(owner, address, names, held.expires());
        }
    }

    /** Every owner and the address it holds now, expired ones included. */
    public Map<String, Inet4Address> owners() {
        Map<String, Inet4Address> snapshot = new java.util.HashMap<>();
        byOwner.forEach((owner, entry) -> snapshot.put(owner, entry.address()));
        return snapshot;
    }

    /** Forgets every name (before the table is filled again from all leases). */
    public synchronized void clear() {
        byOwner.clear();
        byName.clear();
        byAddress.clear();
        changes++;
    }

    /** The address a bare host name points at now, any case. */
    public Optional<Inet4Address> address(String name) {
        return live(byName.get(normal(name))).map(Entry::address);
    }

    /** The name an address resolves back to now. */
    public Optional<String> name(Inet4Address address) {
        return live(byAddress.get(address)).map(entry -> entry.names().get(0));
    }

    /** How many owners hold names. */
    public int size() {
        return byOwner.size();
    }

    /** A counter that moves on every change, for the zone's SOA serial. */
    public long changes() {
        return changes;
    }

    private Optional<Entry> live(Entry entry) {
        if (entry == null || entry.expiresMillis() <= clock.millis()) {
            return Optional.empty();
        }
        return Optional.of(entry);
    }

    private void dropOwner(String owner) {
        Entry old = byOwner.remove(owner);
        if (old == null) {
            return;
        }
        byAddress.remove(old.address(), old);
        old.names().forEach(name -> byName.remove(name, old));
    }

    private static String normal(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
