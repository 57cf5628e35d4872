package lab.dhcp.alloc;

/** Whether a MAC may have an address now, and if not, why (logged at DEBUG when a REQUEST is refused). */
public enum AddressVerdict {
    ALLOWED,
    /** The MAC has a reservation for a different address. */
    RESERVED_ELSEWHERE,
    /** The address is reserved for another MAC. */
    RESERVED_FOR_OTHER,
    /** Neither in a pool nor this MAC's reservation. */
    NOT_IN_POOL,
    /** Another MAC holds an unexpired lease on it. */
    LEASED_TO_OTHER,
    /** It was declined and its quarantine has not ended. */
    QUARANTINED,
    /** It is offered to another MAC right now. */
    OFFERED_TO_OTHER;

    public boolean allowed() {
        return this == ALLOWED;
    }
}
