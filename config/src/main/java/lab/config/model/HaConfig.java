package lab.config.model;

import java.time.Duration;
import java.util.Objects;

/**
 * This appliance as one node of an active/standby pair sharing a PostgreSQL store. YAML section {@code ha} (absent: a
 * lone appliance), which needs {@code store.kind: postgresql}:
 * <ul>
 *   <li>{@code node} (required): this node's name, unique in the pair ({@code [A-Za-z0-9._-]}, at most 64);</li>
 *   <li>{@code pair} (optional, default {@code default}): the pair's name, so pairs can share one database;</li>
 *   <li>{@code takeover-after} (optional, default 5s, at least 2s): how long the active's heartbeat may be silent
 *       before the standby takes over; the active itself stops serving after half of it without a heartbeat;</li>
 *   <li>{@code heartbeat-every} (optional, default a fifth of takeover-after): at most a quarter of it.</li>
 * </ul>
 */
public record HaConfig(String node, String pair, Duration takeoverAfter, Duration heartbeatEvery) {

    public static final String DEFAULT_PAIR = "default";
    public static final Duration DEFAULT_TAKEOVER_AFTER = Duration.ofSeconds(5);
    public static final Duration MIN_TAKEOVER_AFTER = Duration.ofSeconds(2);

    public HaConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(takeoverAfter, "takeoverAfter");
        Objects.requireNonNull(heartbeatEvery, "heartbeatEvery");
    }

    /** The default heartbeat for a takeover time. */
    public static Duration defaultHeartbeat(Duration takeoverAfter) {
        return takeoverAfter.dividedBy(5);
    }
}
