package lab.metadata.ec2;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * IMDSv2 session tokens: random, bound to the caller address they were issued to, valid until their TTL ends.
 * Bounded: expired tokens are dropped when a new one is issued, and when {@code capacity} live tokens exist no more
 * are issued until some expire, so a flood of PUTs cannot grow memory without limit.
 *
 * <p>Only the SHA-256 of each token is kept, and a presented token is looked up by its digest: how long a lookup
 * takes then depends on digests, not on how much of a live token a guess got right (and learning a digest does not
 * give the token), and the tokens themselves are in no heap dump.
 */
public final class Imdsv2Tokens {

    /** The TTL header of the token PUT. */
    public static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    /** The header carrying a token on later requests. */
    public static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
    /** AWS's maximum TTL: six hours. */
    public static final int MAX_TTL_SECONDS = 21600;

    private record Issued(InetAddress caller, Instant expires) {
    }

    /** By the token's digest (Base64 of its SHA-256). */
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final int capacity;

    public Imdsv2Tokens(Clock clock, int capacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Parses a TTL header value: 1–21600 seconds, else empty (the caller answers 400). */
    public static Optional<Duration> parseTtl(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            int seconds = Integer.parseInt(header.trim());
            if (seconds < 1 || seconds > MAX_TTL_SECONDS) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A new token for {@code caller}, or empty when {@code capacity} live tokens exist. */
    public Optional<String> issue(InetAddress caller, Duration ttl) {
        Instant now = clock.instant();
        tokens.values().removeIf(issued -> !issued.expires().isAfter(now));
        if (tokens.size() >= capacity) {
            return Optional.empty();
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.put(digestOf(token), new Issued(caller, now.plus(ttl)));
        return Optional.of(token);
    }

    /** Whether {@code token} was issued to {@code caller} and has not expired. */
    public boolean isValid(String token, InetAddress caller) {
        Issued issued = tokens.get(digestOf(token.trim()));
        return issued != null && issued.caller().equals(caller) && issued.expires().isAfter(clock.instant());
    }

    private static String digestOf(String token) {
        try {
            return Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
