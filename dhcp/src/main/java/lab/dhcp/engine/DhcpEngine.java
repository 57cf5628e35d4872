package lab.dhcp.engine;

import static org.dhcp4java.DHCPConstants.DHCPDECLINE;
import static org.dhcp4java.DHCPConstants.DHCPDISCOVER;
import static org.dhcp4java.DHCPConstants.DHCPINFORM;
import static org.dhcp4java.DHCPConstants.DHCPRELEASE;
import static org.dhcp4java.DHCPConstants.DHCPREQUEST;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import lab.dhcp.Ipv4;
import lab.dhcp.MacAddress;
import lab.dhcp.alloc.AddressPool;
import lab.dhcp.alloc.PendingOffers;
import lab.dhcp.codec.DhcpDatagram;
import lab.dhcp.codec.DhcpReply;
import lab.dhcp.lease.LeaseTable;
import lab.dhcp.server.DhcpResponder;
import lab.dhcp.server.OverloadedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCP server's decisions: reads each request into a {@link ClientContext}, picks the subnet it is answered from
 * ({@link SubnetSelector}: the served interface's own, or a relayed segment by giaddr) and hands it to that subnet's
 * processor for its message type. Requests relayed from a segment no subnet covers, or with a giaddr no relay can have
 * (ours, or a network or broadcast address: the reply would come back to our own socket), are not answered. Replies the
 * client could not use are never sent: a malformed field drops the request. Every accepted request and every reply is
 * told to the {@link DhcpEventListener}. A DISCOVER, REQUEST or INFORM first asks the {@link HostCatalog} who the
 * client is (the step that decides a new MAC's profile, with its vendor class in hand), then the listener is told, then
 * the processor answers with that entry. A new client's DISCOVER is shed ({@link OverloadedException}) while the
 * pending offers are full, before any of that, so that under a flood the clients already offered finish first. Then a
 * DISCOVER, or a REQUEST that would give an address to a client holding none, must pass its subnet's
 * {@link UnknownClientGate} ({@link UnknownClientLimits}); a refused one is not answered and, like a shed one,
 * neither asks the catalog nor tells the listener, so a flood of strangers leaves no profile numbers and no boot
 * timelines behind.
 */
public final class DhcpEngine implements DhcpResponder {

    private static final Logger LOG = LoggerFactory.getLogger(DhcpEngine.class);
    private static final CompletableFuture<Optional<DhcpReply>> NO_REPLY = CompletableFuture.completedFuture(Optional.empty());
    private static final CompletableFuture<Optional<DhcpReply>> OFFERS_FULL = CompletableFuture.failedFuture(
            new OverloadedException("too many offers awaiting their REQUEST, new client's DISCOVER dropped"));

    private final SubnetSelector subnets;
    private final ReleaseProcessor release;
    private final DeclineProcessor decline;
    private final HostCatalog hosts;
    private final DhcpEventListener events;
    private final PendingOffers offers;
    private final Inet4Address serverAddress;

    /** An engine for the served interface's subnet alone, handing out {@code pools}, unknown clients unlimited. */
    public DhcpEngine(DhcpSettings settings, List<AddressPool> pools, LeaseTable leases, PendingOffers offers,
                      HostCatalog hosts, DhcpEventListener events, Clock clock) {
        this(settings, pools, List.of(), leases, offers, hosts, events, clock);
    }

    /** An engine with relayed segments, unknown clients unlimited. */
    public DhcpEngine(DhcpSettings settings, List<AddressPool> pools, List<Subnet> relayed, LeaseTable leases,
                      PendingOffers offers, HostCatalog hosts, DhcpEventListener events, Clock clock) {
        this(settings, pools, relayed, leases, offers, hosts, UnknownClientLimits.NONE, new UnknownClientRefusals(),
                events, clock);
    }

    /**
     * @param pools     the served interface's subnet's pools
     * @param relayed   the segments behind relays, none overlapping another or the served subnet
     * @param limits    what unknown clients may take, each subnet's pools counted apart
     * @param refusals  where refusals by those limits are counted (kept across the engines a reload replaces)
     */
    public DhcpEngine(DhcpSettings settings, List<AddressPool> pools, List<Subnet> relayed, LeaseTable leases,
                      PendingOffers offers, HostCatalog hosts, UnknownClientLimits limits,
                      UnknownClientRefusals refusals, DhcpEventListener events, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        this.hosts = Objects.requireNonNull(hosts, "hosts");
        this.events = Objects.requireNonNull(events, "events");
        this.offers = Objects.requireNonNull(offers, "offers");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(refusals, "refusals");
        Inet4Address server = settings.serverAddress();
        this.serverAddress = server;
        NewClientRate rate = new NewClientRate(limits.ratePerSecond(), clock);
        this.subnets = new SubnetSelector(server,
                new ServedSubnet(server, settings.subnet(pools), leases, offers, hosts, limits, rate, refusals, clock),
                relayed.stream().map(subnet -> new ServedSubnet(server, subnet, leases, offers, hosts, limits, rate,
                        refusals, clock)).toList());
        // RELEASE and DECLINE name their address and our server identifier; which segment they came from is moot.
        this.release = new ReleaseProcessor(settings, offers, leases, clock);
        this.decline = new DeclineProcessor(settings, offers, leases, clock);
    }

    @Override
    public CompletionStage<Optional<DhcpReply>> respond(DhcpDatagram datagram, Executor completions) {
        ClientContext client;
        try {
            client = ClientContext.of(datagram);
        } catch (RuntimeException e) {
            LOG.debug("dropped: malformed request from {}: {}", datagram.sender(), e.toString());
            return NO_REPLY;
        }
        Optional<ServedSubnet> subnet = subnets.select(client);
        if (subnet.isEmpty()) {
            LOG.debug("ignored: relayed from a segment no subnet covers, or from a giaddr no relay can have"
                    + " (our own address, a network or broadcast address) giaddr={} mac={}",
                    client.giaddr().getHostAddress(), client.mac());
            return NO_REPLY;
        }
        if (client.messageType() == DHCPDISCOVER && !offers.admits(client.mac())) {
            // Shed before anything else is spent on it, the boot timeline included: it is the cheapest answer.
            return OFFERS_FULL;
        }
        if (wantsAddress(client) && !subnet.get().gate().admits(client)) {
            return NO_REPLY;
        }
        if (client.initReboot()) {
            tellRestarted(client.mac());
        }
        // Who the client is comes first: the listener labels this very message with the profile decided here.
        HostEntry host = identify(client);
        tell(client.mac(), client.messageType(), false, client.requestedIp()
                .or(() -> client.hasCiaddr() ? Optional.of(client.ciaddr()) : Optional.empty()));
        return process(client, subnet.get(), host, completions).thenApply(reply -> {
            reply.ifPresent(r -> tell(client.mac(), r.packet().getDHCPMessageType(), true,
                    assigned(r.packet().getYiaddr())));
            return reply;
        });
    }

    /**
     * A DISCOVER, or a REQUEST this server may grant: not one in SELECTING state for another server's offer (that
     * only lets ours go).
     */
    private boolean wantsAddress(ClientContext client) {
        return switch (client.messageType()) {
            case DHCPDISCOVER -> true;
            case DHCPREQUEST -> client.serverId().map(serverAddress::equals).orElse(true);
            default -> false;
        };
    }

    /** Only the messages answered with the client's options ask; a RELEASE or DECLINE comes after those. */
    private HostEntry identify(ClientContext client) {
        return switch (client.messageType()) {
            case DHCPDISCOVER, DHCPREQUEST, DHCPINFORM -> hosts.lookup(client.mac(), client.vendorClass());
            default -> HostEntry.unknown();
        };
    }

    private CompletionStage<Optional<DhcpReply>> process(ClientContext client, ServedSubnet subnet, HostEntry host,
                                                         Executor completions) {
        return switch (client.messageType()) {
            case DHCPDISCOVER -> CompletableFuture.completedFuture(subnet.discover().process(client, host));
            case DHCPREQUEST -> subnet.request().process(client, host, completions);
            case DHCPRELEASE -> release.process(client).thenApply(v -> Optional.empty());
            case DHCPDECLINE -> decline.process(client).thenApply(v -> Optional.empty());
            case DHCPINFORM -> CompletableFuture.completedFuture(subnet.inform().process(client, host));
            default -> {
                LOG.debug("ignored: message type {} from mac={}", client.messageType(), client.mac());
                yield NO_REPLY;
            }
        };
    }

    /** A listener's failure is its own: it must never cost a client its reply. */
    private void tell(MacAddress mac, Byte messageType, boolean sent, Optional<Inet4Address> address) {
        if (messageType == null) {
            return;
        }
        try {
            events.dhcpEvent(mac, messageType, sent, address);
        } catch (RuntimeException e) {
            LOG.warn("dhcp event listener failed mac={} type={}", mac, messageType, e);
        }
    }

    private void tellRestarted(MacAddress mac) {
        try {
            events.clientRestarted(mac);
        } catch (RuntimeException e) {
            LOG.warn("dhcp event listener failed mac={} on restart", mac, e);
        }
    }

    private static Optional<Inet4Address> assigned(InetAddress yiaddr) {
        return yiaddr instanceof Inet4Address v4 && !Ipv4.isUnspecified(v4) ? Optional.of(v4) : Optional.empty();
    }

    /** How many DISCOVERs got no offer because their subnet's pools were full, over all subnets. */
    public long poolExhaustedCount() {
        return subnets.all().stream().mapToLong(subnet -> subnet.discover().exhaustedCount()).sum();
    }
}
