package lab.reliability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every lease the DHCPACKs of a storm promised, across all its crashes, and the check of a lease table against them.
 *
 * <p>A lease stays promised for good: the storm's clients never release or decline, its lease time outlasts the
 * test, and the appliance gives a returning MAC the address it already holds. So every pair ever ACKed must come back
 * after every restart, an address ACKed to a second MAC means the first one's lease was forgotten and handed out
 * again, and a MAC ACKed a second address shows up as its first lease lost.
 */
final class LeaseLedger {

    private static final Comparator<AckedLease> ORDER =
            Comparator.comparing(AckedLease::ip).thenComparing(AckedLease::mac);

    private final Set<AckedLease> promised = new LinkedHashSet<>();
    private final Map<String, Set<String>> macsByIp = new HashMap<>();

    /** Adds the ACKs of one capture; an ACK repeated for a lease already promised changes nothing. */
    void record(Collection<AckedLease> acks) {
        for (AckedLease ack : acks) {
            if (promised.add(ack)) {
                macsByIp.computeIfAbsent(ack.ip(), ip -> new TreeSet<>()).add(ack.mac());
            }
        }
    }

    /** Distinct leases promised so far. */
    int size() {
        return promised.size();
    }

    /** Checks {@code table} (every lease the appliance holds) against every lease promised so far. */
    LeaseAudit audit(Collection<HeldLease> table) {
        Map<String, List<HeldLease>> activeByIp = new HashMap<>();
        for (HeldLease lease : table) {
            if (lease.isActive()) {
                activeByIp.computeIfAbsent(lease.ip(), ip -> new ArrayList<>()).add(lease);
            }
        }
        int found = 0;
        Set<AckedLease> lost = new TreeSet<>(ORDER);
        for (AckedLease lease : promised) {
            boolean held = activeByIp.getOrDefault(lease.ip(), List.of()).stream()
                    .anyMatch(active -> active.mac().equalsIgnoreCase(lease.mac()));
            if (held) {
                found++;
            } else {
                lost.add(lease);
            }
        }
        Set<String> duplicates = new TreeSet<>();
        activeByIp.forEach((ip, holders) -> {
            if (holders.size() > 1) {
                duplicates.add(ip);
            }
        });
        macsByIp.forEach((ip, macs) -> {
            if (macs.size() > 1) {
                duplicates.add(ip);
            }
        });
        return new LeaseAudit(promised.size(), found, List.copyOf(lost), List.copyOf(duplicates));
    }
}
