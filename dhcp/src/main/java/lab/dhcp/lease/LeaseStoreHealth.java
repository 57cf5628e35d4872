package lab.dhcp.lease;

/**
 * How a lease store's writes are going, for metrics: read from any thread. While it is not writable, no lease is
 * committed, so no REQUEST is ACKed; reads (the table in memory, metadata answers) go on.
 */
public interface LeaseStoreHealth {

    /** False from a failed write until a write succeeds again (a full or read-only disk). */
    boolean writable();

    /** Writes of records (one force each, a group commit counts once) that failed since the store was made. */
    long failedWrites();

    /** Compactions that failed, each leaving the old journal whole and in use. */
    long failedCompactions();
}
