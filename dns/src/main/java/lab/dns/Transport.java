package lab.dns;

/** How a question arrived, which bounds the size of its answer. */
enum Transport {
    /** 512 bytes, or the client's EDNS payload size up to {@link DnsAnswerer#MAX_UDP_PAYLOAD}; then truncated. */
    UDP,
    /** Up to 65535 bytes, the two-byte length prefix's limit. */
    TCP
}
