package lab.appliance.netns;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a real DHCP client reported to its script for one binding, normalised across clients.
 *
 * @param client          the client program ({@code dhclient}, {@code udhcpc}, {@code dhcpcd})
 * @param reason          the script's reason or event as the client named it ({@code BOUND}, {@code REBOOT},
 *                        {@code renew}, …): it tells which exchange produced the binding
 * @param ip              the leased address
 * @param prefixLength    from option 1
 * @param routers         option 3
 * @param dnsServers      option 6
 * @param hostname        option 12; "" if none
 * @param domain          option 15; "" if none
 * @param classlessRoutes option 121 as {@code "169.254.169.254/32 via 10.20.0.1"}, in packet order
 * @param mtu             option 26, if given
 * @param serverId        option 54, if the client reports it
 */
public record ClientLease(String client, String reason, Inet4Address ip, int prefixLength,
                          List<Inet4Address> routers, List<Inet4Address> dnsServers, String hostname,
                          String domain, List<String> classlessRoutes, OptionalInt mtu,
                          Optional<Inet4Address> serverId) {

    public ClientLease {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(ip, "ip");
        routers = List.copyOf(routers);
        dnsServers = List.copyOf(dnsServers);
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(domain, "domain");
        classlessRoutes = List.copyOf(classlessRoutes);
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(serverId, "serverId");
    }

    /** The leased address as text, for comparing with journal lines. */
    public String address() {
        return ip.getHostAddress();
    }
}
