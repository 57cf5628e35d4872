package lab.dhcp.lease;

import java.util.Optional;

/**
 * Told of every lease change once it is durable: in store order, one change at a time, on the lease table's listener
 * thread, possibly shortly after the commit's future has completed. Must return quickly (a slow listener delays the
 * others, never a commit); a throw is logged and the other listeners are still told.
 */
@FunctionalInterface
public interface LeaseListener {

    /**
     * @param before the record for the address before the change, if any
     * @param after  the record now
     */
    void leaseChanged(Optional<Lease> before, Lease after);
}
