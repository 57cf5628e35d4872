package lab.dhcp.engine;

import java.net.Inet4Address;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import lab.dhcp.alloc.AddressVerdict;
import lab.dhcp.alloc.PendingOffers;
import lab.dhcp.alloc.PoolAllocator;
import lab.dhcp.codec.DhcpReply;
import lab.dhcp.server.LeaseNotStoredException;
import lab.dhcp.server.OverloadedException;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseState;
import lab.dhcp.lease.LeaseStoreBusyException;
import lab.dhcp.lease.LeaseTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REQUEST → ACK or NAK (RFC 2131 §4.3.2). The client's state decides which address it asks for:
 * SELECTING names our server identifier and option 50; INIT-REBOOT has option 50 and no server identifier;
 * RENEWING (unicast) and REBINDING (broadcast) have ciaddr. The address is claimed first (so no parallel request can
 * take it), then the lease is committed to the journal, and the ACK is built only once the commit is on disk, on the
 * completions executor (the socket's event loop) rather than on the journal's thread, which goes on writing.
 *
 * <p>A commit that fails (a full or read-only disk) gets no reply at all, not a NAK, as in Kea, which drops a packet
 * whose lease it cannot store: a NAK would make a RENEWING client give up an address it still holds (RFC 2131
 * §4.4.5) and a new one restart at once, while silence makes both retransmit (RFC 2131 §4.1) until the disk is back.
 * The address stays claimed for the client meanwhile, and its lease, if it had one, is unchanged.
 */
final class RequestProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(RequestProcessor.class);
    private static final CompletableFuture<Optional<DhcpReply>> NO_REPLY = CompletableFuture.completedFuture(Optional.empty());

    private final Inet4Address serverAddress;
    private final Subnet subnet;
    private final PoolAllocator allocator;
    private final PendingOffers offers;
    private final LeaseTable leases;
    private final ReplyComposer composer;
    private final Clock clock;

    /** @param subnet the subnet the request was selected for: an address outside it is NAKed (RFC 2131 §4.3.2) */
    RequestProcessor(Inet4Address serverAddress, Subnet subnet, PoolAllocator allocator, PendingOffers offers,
                     LeaseTable leases, ReplyComposer composer, Clock clock) {
        this.serverAddress = Objects.requireNonNull(serverAddress, "serverAddress");
        this.subnet = Objects.requireNonNull(subnet, "subnet");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.offers = Objects.requireNonNull(offers, "offers");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.composer = Objects.requireNonNull(composer, "composer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @param host who the client is, as the engine looked it up for this message; its profile goes in the lease */
    CompletionStage<Optional<DhcpReply>> process(ClientContext client, HostEntry host, Executor completions) {
        Optional<Inet4Address> wanted = requestedAddress(client);
        if (wanted.isEmpty()) {
            return NO_REPLY;
        }
        Inet4Address ip = wanted.get();
        if (!subnet.contains(ip)) {
            // Also a MAC that moved to another segment: its old address there would not route here.
            LOG.debug("nak: address not on this subnet mac={} ip={} subnet={}", client.mac(), ip.getHostAddress(),
                    subnet);
            return CompletableFuture.completedFuture(Optional.of(composer.nak(client)));
        }
        Optional<Lease> another = activeElsewhere(client, ip);
        if (another.isPresent()) {
            // One address per MAC per subnet: a REQUEST for a free address nobody offered it, while its lease at
            // another stays active, is NAKed (RFC 2131 §4.3.2: the requested address is not the client's), so the
            // client rediscovers and is offered its own; else one MAC could take the whole pool by INIT-REBOOTs.
            LOG.debug("nak: holds another address mac={} ip={} held={}", client.mac(), ip.getHostAddress(),
                    another.get().ip().getHostAddress());
            return CompletableFuture.completedFuture(Optional.of(composer.nak(client)));
        }
        AddressVerdict verdict = allocator.claim(client.mac(), ip);
        if (verdict == AddressVerdict.NOT_IN_POOL) {
            Optional<Lease> held = leases.activeByIp(ip).filter(l -> l.mac().equals(client.mac()));
            if (held.isPresent()) {
                // The address left every pool on reload: its lease stays valid until it expires, never extended.
                Duration remaining = Duration.between(clock.instant(), held.get().expires());
                LOG.debug("ack without extension: address outside the pools mac={} ip={} remaining={}",
                        client.mac(), ip.getHostAddress(), remaining.toSeconds());
                return CompletableFuture.completedFuture(Optional.of(composer.ackRemaining(client, ip,
                        host.hostname(), remaining)));
            }
        }
        if (!verdict.allowed()) {
            LOG.debug("nak: {} mac={} ip={}", verdict, client.mac(), ip.getHostAddress());
            return CompletableFuture.completedFuture(Optional.of(composer.nak(client)));
        }
        Optional<String> hostname = host.hostname().or(client::hostname);
        Instant now = clock.instant();
        Lease lease = new Lease(ip, client.mac(), client.clientId(), hostname.orElse(""), host.profile(),
                now, now.plus(subnet.leaseTime()), LeaseState.ACTIVE);
        return leases.commit(lease).handleAsync((committed, failure) -> {
            Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null
                    ? wrapped.getCause() : failure;
            if (cause instanceof LeaseStoreBusyException) {
                // Not an error: the store's queue is full, and the client retries. Counted by the transport.
                offers.release(client.mac());
                throw new OverloadedException("lease store queue full, REQUEST dropped");
            }
            if (cause != null) {
                // The store logged the outage once (LeaseStore#write); the transport counts each dropped REQUEST.
                throw new LeaseNotStoredException("lease not stored mac=" + client.mac() + " ip="
                        + ip.getHostAddress() + ": " + cause);
            }
            offers.release(client.mac());
            return Optional.of(composer.ack(client, ip, host.hostname()));
        }, completions);
    }

    /**
     * The client's active lease in this subnet at another address than {@code ip}, unless {@code ip} is what it was
     * offered or is reserved for it (a reservation moved by a reload wins; the old lease then runs out).
     */
    private Optional<Lease> activeElsewhere(ClientContext client, Inet4Address ip) {
        Optional<Lease> current = leases.byMac(client.mac())
                .filter(lease -> !lease.ip().equals(ip) && subnet.contains(lease.ip())
                        && lease.isActiveAt(clock.instant()));
        if (current.isEmpty() || offers.heldFor(client.mac()).filter(ip::equals).isPresent()
                || allocator.isReservedFor(client.mac(), ip)) {
            return Optional.empty();
        }
        return current;
    }

    /** The address the client asks for, by its state; empty (ignored) when the request is not for us or malformed. */
    private Optional<Inet4Address> requestedAddress(ClientContext client) {
        if (client.serverId().isPresent()) {
            if (!client.serverId().get().equals(serverAddress)) {
                // SELECTING another server's offer: ours is free again (RFC 2131 §4.3.2).
                offers.release(client.mac());
                LOG.debug("ignored: request for server {} mac={}", client.serverId().get().getHostAddress(), client.mac());
                return Optional.empty();
            }
            if (client.requestedIp().isEmpty()) {
                LOG.debug("ignored: SELECTING request without option 50 mac={}", client.mac());
            }
            return client.requestedIp();
        }
        if (client.requestedIp().isPresent()) {
            return client.requestedIp(); // INIT-REBOOT
        }
        if (client.hasCiaddr()) {
            return Optional.of(client.ciaddr()); // RENEWING or REBINDING
        }
        LOG.debug("ignored: request with neither option 50 nor ciaddr mac={}", client.mac());
        return Optional.empty();
    }
}
