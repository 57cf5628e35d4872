package lab.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import lab.config.model.HaConfig;

/** Binds the {@code ha} section; that it needs the PostgreSQL store is checked by the caller. */
final class HaBinder {

    static final List<String> KEYS = List.of("node", "pair", "takeover-after", "heartbeat-every");

    private final Problems problems;

    HaBinder(Problems problems) {
        this.problems = problems;
    }

    Optional<HaConfig> bind(MappingReader ha) {
        Optional<String> node = ha.requiredScalar("node", ScalarTypes.NODE_NAME).map(Located::value);
        String pair = ha.scalar("pair", ScalarTypes.NODE_NAME).map(Located::value).orElse(HaConfig.DEFAULT_PAIR);
        Optional<Located<Duration>> takeover = ha.scalar("takeover-after", ScalarTypes.DURATION);
        Duration takeoverAfter = takeover.map(Located::value).orElse(HaConfig.DEFAULT_TAKEOVER_AFTER);
        boolean valid = true;
        if (takeover.isPresent() && takeoverAfter.compareTo(HaConfig.MIN_TAKEOVER_AFTER) < 0) {
            problems.report(takeover.get().origin(), "takeover-after is too short to tell a stalled active from a"
                    + " busy one (expected at least 2s)");
            valid = false;
        }
        Optional<Located<Duration>> heartbeat = ha.scalar("heartbeat-every", ScalarTypes.DURATION);
        Duration heartbeatEvery = heartbeat.map(Located::value).orElse(HaConfig.defaultHeartbeat(takeoverAfter));
        if (heartbeat.isPresent() && (heartbeatEvery.isZero()
                || heartbeatEvery.multipliedBy(4).compareTo(takeoverAfter) > 0)) {
            problems.report(heartbeat.get().origin(), "heartbeat-every must be more than 0 and at most a quarter of"
                    + " takeover-after (" + DurationSyntax.format(takeoverAfter) + "), so a missed beat or two does"
                    + " not hand over the pair");
            valid = false;
        }
        if (!valid || node.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HaConfig(node.get(), pair, takeoverAfter, heartbeatEvery));
    }
}
