package lab.metadata.http;

/** Why {@link HttpGuard} refused or cut a connection or request before it reached the server's routes. */
public enum HttpRefusal {
    /** The server already held its {@link HttpLimits#maxConnections()}: closed at once. */
    SERVER_CONNECTION_LIMIT("server-connection-limit"),
    /** The client address already held {@link HttpLimits#maxConnectionsPerAddress()}: closed at once. */
    ADDRESS_CONNECTION_LIMIT("address-connection-limit"),
    /** A request did not fully arrive within {@link HttpLimits#requestDeadline()}: closed (slowloris). */
    REQUEST_DEADLINE("request-deadline"),
    /** Not HTTP/1.x, ambiguous framing (RFC 9112 §6.3), a bad header: 400. */
    BAD_REQUEST("bad-request"),
    /** Request line over {@link HttpLimits#maxRequestLineBytes()}: 414. */
    URI_TOO_LONG("uri-too-long"),
    /** Header block over {@link HttpLimits#maxHeaderBytes()}: 431. */
    HEADERS_TOO_LARGE("headers-too-large"),
    /** Body over {@link HttpLimits#maxBodyBytes()}: 413. */
    BODY_TOO_LARGE("body-too-large");

    private final String label;

    HttpRefusal(String label) {
        this.label = label;
    }

    /** The metric label and log word. */
    public String label() {
        return label;
    }
}
