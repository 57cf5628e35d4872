package lab.reliability;

import java.util.List;

/**
 * How one lease table measured up to every lease ACKed so far.
 *
 * @param acked      distinct (MAC, address) pairs ACKed so far
 * @param found      of those, the ones the table holds as an active lease of that MAC
 * @param lost       the others (sorted), each a lease a client was promised and the appliance forgot
 * @param duplicates addresses (sorted) held by two active leases of the table, or ACKed to two MACs
 */
record LeaseAudit(int acked, int found, List<AckedLease> lost, List<String> duplicates) {

    LeaseAudit {
        lost = List.copyOf(lost);
        duplicates = List.copyOf(duplicates);
    }

    /** The first {@code limit} lost leases and duplicate addresses, for a failure message. */
    String sample(int limit) {
        return "lost " + lost.stream().limit(limit).toList()
                + ", duplicates " + duplicates.stream().limit(limit).toList();
    }
}
