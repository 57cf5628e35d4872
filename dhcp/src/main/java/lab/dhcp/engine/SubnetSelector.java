package lab.dhcp.engine;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which subnet a request is answered from, as Kea selects a subnet4 by default:
 * <ol>
 *   <li>relayed (giaddr set): the subnet holding giaddr, the relay's address on the client's segment (RFC 2131
 *       §4.3.1); none when giaddr lies in no subnet, and the request is not ours to answer. A giaddr in the served
 *       interface's own subnet (perfdhcp relays from there) means that subnet;</li>
 *   <li>not relayed, with ciaddr: the subnet holding ciaddr. A RENEWING client unicasts straight to the server
 *       identifier (RFC 2131 §4.4.5), bypassing its relay, so ciaddr is the only sign of its segment; a ciaddr in
 *       no subnet falls through to the next rule, whose subnet then NAKs the address;</li>
 *   <li>otherwise the served interface's own subnet: the client is on its link.</li>
 * </ol>
 * The served subnet is tried first, then the relayed ones in configured order (they never overlap).
 */
final class SubnetSelector {

    private final Inet4Address server;
    private final ServedSubnet direct;
    private final List<ServedSubnet> all;

    SubnetSelector(Inet4Address server, ServedSubnet direct, List<ServedSubnet> relayed) {
        this.server = Objects.requireNonNull(server, "server");
        this.direct = Objects.requireNonNull(direct, "direct");
        this.all = Stream.concat(Stream.of(direct), relayed.stream()).toList();
    }

    /**
     * The subnet to answer {@code client} from; empty when it was relayed from a segment we do not serve, or from a
     * giaddr no relay can have.
     */
    Optional<ServedSubnet> select(ClientContext client) {
        if (client.relayed()) {
            return containing(client).filter(subnet -> relayCanHave(subnet.subnet(), client.giaddr()));
        }
        if (client.hasCiaddr() && all.size() > 1) {
            return Optional.of(containing(client).orElse(direct));
        }
        return Optional.of(direct);
    }

    private Optional<ServedSubnet> containing(ClientContext client) {
        var address = client.relayed() ? client.giaddr() : client.ciaddr();
        for (ServedSubnet subnet : all) {
            if (subnet.subnet().contains(address)) {
                return Optional.of(subnet);
            }
        }
        return Optional.empty();
    }

    /**
     * A relay's address is a host of its segment and not this server: a giaddr that is our own address, or the
     * segment's network or broadcast address, is forged, and the reply (unicast to giaddr port 67) would come back
     * to our own socket.
     */
    private boolean relayCanHave(Subnet subnet, Inet4Address giaddr) {
        return !giaddr.equals(server) && subnet.isHostAddress(giaddr);
    }

    /** Every subnet, the served interface's first. */
    List<ServedSubnet> all() {
        return all;
    }
}
