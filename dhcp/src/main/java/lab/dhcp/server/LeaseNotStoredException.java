package lab.dhcp.server;

/**
 * A responder's stage fails with this when the lease a REQUEST needs could not be made durable (a full or read-only
 * disk): no ACK leaves, the transport counts a drop, and the client retransmits. The lease store reports the outage
 * itself, once; this is expected per packet while it lasts, so it carries no stack trace.
 */
public final class LeaseNotStoredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LeaseNotStoredException(String reason) {
        super(reason, null, false, false);
    }
}
