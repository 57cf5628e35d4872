package lab.dhcp.server;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import lab.dhcp.codec.DhcpDatagram;
import lab.dhcp.codec.DhcpReply;

/** What the transport hands each decoded request to; the DHCP engine plays this role. */
@FunctionalInterface
public interface DhcpResponder {

    /**
     * Answers one request. The stage may complete on another thread (an ACK completes once its lease is on disk);
     * an empty result means no reply. Must not block the caller.
     */
    CompletionStage<Optional<DhcpReply>> respond(DhcpDatagram request);
}
