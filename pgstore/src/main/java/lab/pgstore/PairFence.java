package lab.pgstore;

import java.util.Objects;

/**
 * The active lock a node held when it became active: every lease write checks it in its own transaction, so a node
 * that was deposed (its heartbeat went stale and the standby took over) cannot commit, and so cannot ACK, again.
 */
public record PairFence(String pair, String node, long epoch) {

    public PairFence {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(node, "node");
    }
}
