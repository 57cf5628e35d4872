package lab.dhcp.server;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import lab.dhcp.codec.DhcpDatagram;
import lab.dhcp.codec.DhcpReply;

/** What the transport hands each decoded request to; the DHCP engine plays this role. */
@FunctionalInterface
public interface DhcpResponder {

    /**
     * Answers one request; an empty result means no reply. Must not block the caller. A stage that cannot complete
     * at once (an ACK waits for its lease to be on disk) completes on {@code completions}, the socket's event loop,
     * so the thread that made the lease durable only hands the result back and goes on writing.
     */
    CompletionStage<Optional<DhcpReply>> respond(DhcpDatagram request, Executor completions);
}
