package lab.dhcp.engine;

import java.net.Inet4Address;
import java.time.Clock;
import java.util.Objects;
import lab.dhcp.alloc.PendingOffers;
import lab.dhcp.alloc.PoolAllocator;
import lab.dhcp.lease.LeaseTable;

/**
 * One subnet the engine answers on, with what answers there: its own allocator (over its pools, seeing only its
 * reservations) and reply composer (its options and lease times), and the DISCOVER, REQUEST and INFORM processors
 * built on them, and the gate that keeps unknown clients to their share of its pools. Every subnet shares the one
 * lease table and the one set of pending offers, so a MAC is one client wherever it boots.
 */
final class ServedSubnet {

    private final Subnet subnet;
    private final DiscoverProcessor discover;
    private final RequestProcessor request;
    private final InformProcessor inform;
    private final UnknownClientGate gate;

    /** @param rate the engine's one rate limit of new unknown clients, per source across every subnet */
    ServedSubnet(Inet4Address serverAddress, Subnet subnet, LeaseTable leases, PendingOffers offers, HostCatalog hosts,
                 UnknownClientLimits limits, NewClientRate rate, UnknownClientRefusals refusals, Clock clock) {
        this.subnet = Objects.requireNonNull(subnet, "subnet");
        ReplyComposer composer = new ReplyComposer(serverAddress, subnet);
        PoolAllocator allocator = new PoolAllocator(subnet.pools(), leases, offers, new SubnetHostCatalog(subnet, hosts),
                clock);
        this.discover = new DiscoverProcessor(allocator, composer);
        this.request = new RequestProcessor(serverAddress, subnet, allocator, offers, leases, composer, clock);
        this.inform = new InformProcessor(composer);
        UnknownClientShare share = new UnknownClientShare(limits, allocator, offers, leases, hosts, clock);
        this.gate = new UnknownClientGate(limits, share, rate, hosts, offers, leases, refusals, clock,
                subnet.pools().toString());
    }

    Subnet subnet() {
        return subnet;
    }

    DiscoverProcessor discover() {
        return discover;
    }

    RequestProcessor request() {
        return request;
    }

    InformProcessor inform() {
        return inform;
    }

    UnknownClientGate gate() {
        return gate;
    }

    @Override
    public String toString() {
        return subnet.toString();
    }
}
