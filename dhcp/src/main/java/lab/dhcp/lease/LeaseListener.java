package lab.dhcp.lease;

import java.util.Optional;

/** Told of every lease change once it is on disk; must return quickly and never throw. */
@FunctionalInterface
public interface LeaseListener {

    /**
     * @param before the record for the address before the change, if any
     * @param after  the record now
     */
    void leaseChanged(Optional<Lease> before, Lease after);
}
