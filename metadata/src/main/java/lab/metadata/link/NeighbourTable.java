package lab.metadata.link;

import java.net.InetAddress;
import java.util.Optional;

/** The link-layer address the host's neighbour (ARP) table holds for an on-link IPv4 peer. */
@FunctionalInterface
public interface NeighbourTable {

    /** A table with no entries: every peer counts as routed, so no caller is checked (tests on loopback). */
    NeighbourTable EMPTY = address -> Optional.empty();

    /**
     * The MAC (lowercase, colon form) of a complete entry for {@code address}; empty when the kernel has none, as for
     * a peer behind a router, whose packets arrive with the router's MAC.
     */
    Optional<String> macOf(InetAddress address);
}
