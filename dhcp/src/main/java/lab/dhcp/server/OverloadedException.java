package lab.dhcp.server;

/**
 * A responder's stage fails with this when it sheds a request to keep up under load (too many offers awaiting
 * their REQUEST, or the lease store's queue full); the transport counts it as a drop and the client retries.
 * Carries no stack trace: it is expected, and thrown per packet during a flood.
 */
public final class OverloadedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OverloadedException(String reason) {
        super(reason, null, false, false);
    }
}
