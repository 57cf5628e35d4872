package lab.dns;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the DNS server listens and where it forwards: the UDP and TCP address (the appliance's own, port 53), the
 * interface its sockets are tied to (as the DHCP socket is, so it never answers on another network), the upstream
 * servers for names outside the lab (none: REFUSED) and the per-client UDP rate limit (0: none).
 */
public record DnsSettings(InetSocketAddress listen, Optional<String> device, List<InetSocketAddress> forwarders,
        int rateLimitPerSecond) {

    public DnsSettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(device, "device");
        forwarders = List.copyOf(forwarders);
        if (rateLimitPerSecond < 0) {
            throw new IllegalArgumentException("negative rate limit: " + rateLimitPerSecond);
        }
    }
}
