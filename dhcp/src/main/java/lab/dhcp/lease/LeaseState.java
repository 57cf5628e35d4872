package lab.dhcp.lease;

/** Where a lease stands; every state but ACTIVE frees the address once the lease is reclaimed. */
public enum LeaseState {
    /** ACKed and unexpired: the address belongs to the MAC. */
    ACTIVE,
    /** The client sent RELEASE: the address is free at once, the MAC keeps it as its preferred one. */
    RELEASED,
    /** The client sent DECLINE: the address is quarantined until {@code expires}, owned by no one. */
    DECLINED,
    /** The lease ran out and was reclaimed. */
    EXPIRED
}
