package lab.appliance.pair;

import java.util.Objects;
import lab.pgstore.PairFence;
import lab.pgstore.PostgresDatabase;

/** One term of a node as its pair's active: the shared database and the lock it holds, which fences its writes. */
public record ActiveTerm(PostgresDatabase database, PairFence fence) {

    public ActiveTerm {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(fence, "fence");
    }
}
