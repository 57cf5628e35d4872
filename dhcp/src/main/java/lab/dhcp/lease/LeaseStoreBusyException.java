package lab.dhcp.lease;

import java.io.IOException;

/** A lease store refused a write because its queue is full; nothing was written, the caller may drop the request. */
public final class LeaseStoreBusyException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param store    the store, as its other errors name it (for the journal, "lease journal" and its file)
     * @param capacity how many writes may wait in its queue
     */
    public LeaseStoreBusyException(String store, int capacity) {
        super(store + " is busy: " + capacity + " writes are already waiting, write refused");
    }
}
