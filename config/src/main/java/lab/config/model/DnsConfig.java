package lab.config.model;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The lab DNS server. YAML section {@code dns} (absent: no DNS server); with the section present it is on unless
 * {@code enabled: false}:
 * <ul>
 *   <li>{@code enabled} (optional, default true);</li>
 *   <li>{@code forwarders} (optional): IPv4 upstream servers for names outside the lab; without any, such questions
 *       are REFUSED;</li>
 *   <li>{@code ttl} (optional, default 10s): TTL of every answer, short because a name follows its lease;</li>
 *   <li>{@code rate-limit} (optional, default 1000): UDP questions a second per client, twice that as a burst;
 *       0 means no limit.</li>
 * </ul>
 * The zone is {@code network.domain}, which DNS requires; {@code network.dns} defaults to the appliance's address.
 */
public record DnsConfig(boolean enabled, List<Inet4Address> forwarders, Duration ttl, int rateLimit) {

    public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);
    public static final int DEFAULT_RATE_LIMIT = 1000;
    /** No DNS section: no DNS server. */
    public static final DnsConfig OFF = new DnsConfig(false, List.of(), DEFAULT_TTL, DEFAULT_RATE_LIMIT);

    public DnsConfig {
        forwarders = List.copyOf(forwarders);
        Objects.requireNonNull(ttl, "ttl");
        if (rateLimit < 0) {
            throw new IllegalArgumentException("negative rate limit: " + rateLimit);
        }
    }
}
