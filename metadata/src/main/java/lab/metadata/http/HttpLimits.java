package lab.metadata.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds one HTTP server of the appliance puts on what a client may send and hold: sizes, times, connections.
 * {@link HttpGuard} enforces them; each server picks its own values, mostly these defaults.
 *
 * @param maxRequestLineBytes      longest request line; longer is answered 414
 * @param maxHeaderBytes           largest header block; larger is answered 431
 * @param maxBodyBytes             largest body, by Content-Length or chunks; larger is answered 413
 * @param requestDeadline          a request must have fully arrived this long after its first byte (or after the
 *                                 connection opened), else the connection is closed: a trickle cannot hold it open
 * @param idleTimeout              a connection with no traffic at all for this long is closed
 * @param maxConnections           open connections the server holds at most; more are closed at once
 * @param maxConnectionsPerAddress open connections one client address holds at most; more are closed at once
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxBodyBytes, Duration requestDeadline,
                         Duration idleTimeout, int maxConnections, int maxConnectionsPerAddress) {

    /**
     * Netty's default and far above any legitimate line: cloud-init's longest request line (an OpenStack document
     * under a dated version, a phone-home URL with the instance id) and the fleet page's API calls are under 200
     * bytes. A long line is a probe or a buffer-filling attempt.
     */
    public static final int MAX_REQUEST_LINE_BYTES = 4096;
    /**
     * Netty's and nginx's per-buffer default: cloud-init and wget send five or six short headers (well under 1 KiB);
     * an IMDSv2 token adds one 56-byte header.
     */
    public static final int MAX_HEADER_BYTES = 8 * 1024;
    /**
     * On the lab network a whole request (a few hundred bytes, or a boot report of a few KiB) arrives in
     * milliseconds. Ten seconds leaves room for a VM stalled by its hypervisor, and frees a slowloris slot three
     * times sooner than the idle timeout would.
     */
    public static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);
    /**
     * A keep-alive connection cloud-init left open between its datasource stages, or wget waiting for the password
     * server, costs one slot; thirty seconds ends them without waiting on each client's own timeout.
     */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * cloud-init fetches one URL at a time per datasource; a VM's agents add a few; the metadata benchmark's wrk runs
     * 32 connections from one VM. One hostile VM holding 64 slots of a server leaves the others to everyone else.
     */
    public static final int MAX_CONNECTIONS_PER_ADDRESS = 64;

    public HttpLimits {
        positive(maxRequestLineBytes, "maxRequestLineBytes");
        positive(maxHeaderBytes, "maxHeaderBytes");
        positive(maxBodyBytes, "maxBodyBytes");
        positive(maxConnections, "maxConnections");
        positive(maxConnectionsPerAddress, "maxConnectionsPerAddress");
        Objects.requireNonNull(requestDeadline, "requestDeadline");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (requestDeadline.isNegative() || requestDeadline.isZero() || idleTimeout.isNegative()
            || idleTimeout.isZero()) {
            throw new IllegalArgumentException("requestDeadline and idleTimeout must be positive");
        }
    }

    /** The defaults above with a server's own body and connection caps. */
    public static HttpLimits of(int maxBodyBytes, int maxConnections) {
        return new HttpLimits(MAX_REQUEST_LINE_BYTES, MAX_HEADER_BYTES, maxBodyBytes, REQUEST_DEADLINE, IDLE_TIMEOUT,
            maxConnections, MAX_CONNECTIONS_PER_ADDRESS);
    }

    public HttpLimits withMaxHeaderBytes(int bytes) {
        return new HttpLimits(maxRequestLineBytes, bytes, maxBodyBytes, requestDeadline, idleTimeout, maxConnections,
            maxConnectionsPerAddress);
    }

    public HttpLimits withTimes(Duration deadline, Duration idle) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxBodyBytes, deadline, idle, maxConnections,
            maxConnectionsPerAddress);
    }

    public HttpLimits withConnections(int total, int perAddress) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxBodyBytes, requestDeadline, idleTimeout, total,
            perAddress);
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
