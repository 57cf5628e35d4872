package lab.config;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import lab.config.model.DnsConfig;

/** Binds the {@code dns} section; whether the network has the domain it needs is checked by the caller. */
final class DnsBinder {

    static final List<String> KEYS = List.of("enabled", "forwarders", "ttl", "rate-limit");

    DnsConfig bind(MappingReader dns) {
        boolean enabled = dns.scalar("enabled", ScalarTypes.BOOLEAN).map(Located::value).orElse(true);
        List<Inet4Address> forwarders = dns.scalarList("forwarders", ScalarTypes.IPV4_ADDRESS)
                .map(list -> list.stream().map(Located::value).toList()).orElse(List.of());
        Duration ttl = dns.scalar("ttl", ScalarTypes.DNS_TTL).map(Located::value).orElse(DnsConfig.DEFAULT_TTL);
        int rateLimit = dns.scalar("rate-limit", ScalarTypes.RATE_LIMIT).map(Located::value)
                .orElse(DnsConfig.DEFAULT_RATE_LIMIT);
        return new DnsConfig(enabled, forwarders, ttl, rateLimit);
    }
}
