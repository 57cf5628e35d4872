package lab.appliance;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import lab.dhcp.codec.DhcpDatagram;
import lab.dhcp.codec.DhcpReply;
import lab.dhcp.server.DhcpResponder;

/**
 * The DHCP socket's responder, replaced whole on reload: a new engine with the new pools and options takes the next
 * packet, while the lease table, the pending offers and the socket stay as they are, so no lease is dropped.
 */
final class SwappableResponder implements DhcpResponder {

    private final AtomicReference<DhcpResponder> current;

    SwappableResponder(DhcpResponder first) {
        this.current = new AtomicReference<>(Objects.requireNonNull(first, "first"));
    }

    void swap(DhcpResponder next) {
        current.set(Objects.requireNonNull(next, "next"));
    }

    @Override
    public CompletionStage<Optional<DhcpReply>> respond(DhcpDatagram request, Executor completions) {
        return current.get().respond(request, completions);
    }
}
