package lab.dhcp.engine;

import static org.dhcp4java.DHCPConstants.DHCPDECLINE;
import static org.dhcp4java.DHCPConstants.DHCPDISCOVER;
import static org.dhcp4java.DHCPConstants.DHCPINFORM;
import static org.dhcp4java.DHCPConstants.DHCPRELEASE;
import static org.dhcp4java.DHCPConstants.DHCPREQUEST;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import lab.dhcp.alloc.AddressPool;
import lab.dhcp.alloc.PendingOffers;
import lab.dhcp.alloc.PoolAllocator;
import lab.dhcp.codec.DhcpDatagram;
import lab.dhcp.codec.DhcpReply;
import lab.dhcp.lease.LeaseTable;
import lab.dhcp.server.DhcpResponder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCP server's decisions: reads each request into a {@link ClientContext} and hands it to the processor for its
 * message type. Requests relayed from another subnet are ignored (we serve one subnet; a relay address inside it, as
 * perfdhcp uses, means this subnet). Replies the client could not use are never sent: a malformed field drops the
 * request.
 */
public final class DhcpEngine implements DhcpResponder {

    private static final Logger LOG = LoggerFactory.getLogger(DhcpEngine.class);
    private static final CompletableFuture<Optional<DhcpReply>> NO_REPLY = CompletableFuture.completedFuture(Optional.empty());

    private final DhcpSettings settings;
    private final PoolAllocator allocator;
    private final DiscoverProcessor discover;
    private final RequestProcessor request;
    private final ReleaseProcessor release;
    private final DeclineProcessor decline;
    private final InformProcessor inform;

    public DhcpEngine(DhcpSettings settings, List<AddressPool> pools, LeaseTable leases, PendingOffers offers,
                      HostCatalog hosts, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        ReplyComposer composer = new ReplyComposer(settings);
        this.allocator = new PoolAllocator(pools, leases, offers, hosts, clock);
        this.discover = new DiscoverProcessor(allocator, hosts, composer);
        this.request = new RequestProcessor(settings, allocator, offers, leases, hosts, composer, clock);
        this.release = new ReleaseProcessor(settings, offers, leases, clock);
        this.decline = new DeclineProcessor(settings, offers, leases, clock);
        this.inform = new InformProcessor(hosts, composer);
    }

    @Override
    public CompletionStage<Optional<DhcpReply>> respond(DhcpDatagram datagram) {
        ClientContext client;
        try {
            client = ClientContext.of(datagram);
        } catch (RuntimeException e) {
            LOG.debug("dropped: malformed request from {}: {}", datagram.sender(), e.toString());
            return NO_REPLY;
        }
        if (client.relayed() && !settings.inSubnet(client.giaddr())) {
            LOG.debug("ignored: relayed from foreign subnet giaddr={} mac={}", client.giaddr().getHostAddress(), client.mac());
            return NO_REPLY;
        }
        return switch (client.messageType()) {
            case DHCPDISCOVER -> CompletableFuture.completedFuture(discover.process(client));
            case DHCPREQUEST -> request.process(client);
            case DHCPRELEASE -> release.process(client).thenApply(v -> Optional.empty());
            case DHCPDECLINE -> decline.process(client).thenApply(v -> Optional.empty());
            case DHCPINFORM -> CompletableFuture.completedFuture(inform.process(client));
            default -> {
                LOG.debug("ignored: message type {} from mac={}", client.messageType(), client.mac());
                yield NO_REPLY;
            }
        };
    }

    /** The allocator, for pool statistics. */
    public PoolAllocator allocator() {
        return allocator;
    }

    /** How many DISCOVERs got no offer because the pools were full. */
    public long poolExhaustedCount() {
        return discover.exhaustedCount();
    }
}
