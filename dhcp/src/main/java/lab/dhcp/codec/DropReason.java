package lab.dhcp.codec;

import java.util.Locale;

/** Why a request was not answered or a reply did not leave; one traffic counter each. */
public enum DropReason {
    /** Request larger than 1500 bytes, more than an unfragmented Ethernet frame can carry. */
    OVERSIZED_REQUEST,
    /** Shorter than the 240-byte BOOTP header plus magic cookie, or options without an END option. */
    TRUNCATED,
    /** dhcp4java could not parse it, or an option in it has an impossible length. */
    MALFORMED,
    /** op is not BOOTREQUEST (1). */
    NOT_BOOTREQUEST,
    /** htype/hlen are not Ethernet (1/6); identity is a 48-bit MAC. */
    NOT_ETHERNET,
    /** No DHCP magic cookie: plain BOOTP, which this server does not speak. */
    NOT_DHCP,
    /** No option 53, or one whose length is not 1. */
    NO_MESSAGE_TYPE,
    /** The responder decided not to answer. */
    NO_REPLY,
    /** Shed under load: a new client's DISCOVER while too many offers await their REQUEST, or a REQUEST while the
     * lease store's queue is full. */
    OVERLOADED,
    /** A REQUEST whose lease could not be made durable (a full or read-only disk): no ACK without it. */
    LEASE_NOT_STORED,
    /** The responder threw or its stage completed exceptionally. */
    RESPONDER_ERROR,
    /** The reply could not be trimmed under the client's maximum message size. */
    OVERSIZED_REPLY,
    /** dhcp4java refused to serialize the reply. */
    UNENCODABLE_REPLY,
    /** The socket refused the encoded reply. */
    SEND_FAILED,
    /**
     * The socket's send queue was full (the kernel's buffer, then Netty's up to its watermark), as when replies wait
     * for ARP answers that never come: the reply is dropped rather than queued to leave long after the client gave up.
     */
    SEND_BACKLOG;

    private final String label;

    DropReason() {
        this.label = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Kebab-case name for logs and metric labels, e.g. {@code oversized-reply}. */
    public String label() {
        return label;
    }
}
