package lab.dhcp.engine;

import java.util.Objects;
import java.util.Optional;
import lab.dhcp.codec.DhcpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** INFORM → ACK (RFC 2131 §4.3.5): configuration for a client that already has an address; no lease. */
final class InformProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(InformProcessor.class);

    private final ReplyComposer composer;

    InformProcessor(ReplyComposer composer) {
        this.composer = Objects.requireNonNull(composer, "composer");
    }

    /** @param host who the client is, as the engine looked it up for this message */
    Optional<DhcpReply> process(ClientContext client, HostEntry host) {
        if (!client.hasCiaddr()) {
            LOG.debug("ignored: inform without ciaddr mac={}", client.mac());
            return Optional.empty();
        }
        return Optional.of(composer.informAck(client, host.hostname()));
    }
}
