package lab.dhcp.codec;

import java.util.Locale;

/** The value of option 53 (RFC 2132 §9.6), with a bucket for values this server does not handle. */
public enum DhcpMessageType {
    DISCOVER(1),
    OFFER(2),
    REQUEST(3),
    DECLINE(4),
    ACK(5),
    NAK(6),
    RELEASE(7),
    INFORM(8),
    /** Any other value (FORCERENEW, lease query, …); counted, never answered by this server. */
    OTHER(0);

    private static final DhcpMessageType[] BY_CODE = new DhcpMessageType[256];

    static {
        java.util.Arrays.fill(BY_CODE, OTHER);
        for (DhcpMessageType type : values()) {
            if (type != OTHER) {
                BY_CODE[type.code] = type;
            }
        }
    }

    private final int code;
    private final String label;

    DhcpMessageType(int code) {
        this.code = code;
        this.label = name().toLowerCase(Locale.ROOT);
    }

    /** The type for an option 53 value (0..255); {@link #OTHER} for values outside 1..8. */
    public static DhcpMessageType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : OTHER;
    }

    /** The option 53 value; 0 for {@link #OTHER}. */
    public int code() {
        return code;
    }

    /** Lower-case name for logs and metric labels, e.g. {@code discover}. */
    public String label() {
        return label;
    }
}
