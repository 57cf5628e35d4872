package lab.pgstore;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The active/standby lock of a pair, one row of {@code active_lock}: who holds it, at which epoch, and when it was
 * last renewed, all in the database's time so the nodes' clocks never matter. A node takes it when it is free or its
 * holder has not renewed it for the takeover time; every take raises the epoch, which lease writes are fenced with.
 */
public final class ActiveLock {

    /** What taking the lock found and did. */
    public record Taken(PairFence fence, Optional<String> previousHolder, double secondsSilent) {
    }

    private final DataSource database;
    private final String pair;
    private final String node;
    private final Duration takeoverAfter;
    private final int queryTimeoutSeconds;

    public ActiveLock(DataSource database, String pair, String node, Duration takeoverAfter) {
        this.database = Objects.requireNonNull(database, "database");
        this.pair = Objects.requireNonNull(pair, "pair");
        this.node = Objects.requireNonNull(node, "node");
        this.takeoverAfter = Objects.requireNonNull(takeoverAfter, "takeoverAfter");
        // A renewal that takes longer than half the takeover time is as good as a missed one.
        this.queryTimeoutSeconds = (int) Math.max(1, takeoverAfter.toSeconds() / 2);
    }

    /**
     * Takes the lock if it is free (never held, or released by a clean stop) or its holder has been silent for the
     * takeover time; empty while another node holds it. Waits for lease commits in flight under the old epoch, so
     * every lease the old holder committed is in the table when this returns.
     */
    public Optional<Taken> tryTake() throws IOException {
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<Taken> taken = tryTake(c);
                c.commit();
                return taken;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("cannot take the active lock of pair " + pair + ": "
                    + PostgresDatabase.rootMessage(e), e);
        }
    }

    private Optional<Taken> tryTake(Connection c) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO active_lock (pair, holder, epoch,"
                + " renewed_at, taken_at) VALUES (?, NULL, 0, now(), now()) ON CONFLICT (pair) DO NOTHING")) {
            insert.setString(1, pair);
            insert.executeUpdate();
        }
        String holder;
        long epoch;
        double silent;
        try (PreparedStatement select = c.prepareStatement("SELECT holder, epoch,"
                + " extract(epoch FROM clock_timestamp() - renewed_at)::float8 FROM active_lock WHERE pair = ?"
                + " FOR UPDATE")) {
            select.setString(1, pair);
            select.setQueryTimeout(queryTimeoutSeconds);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                holder = row.getString(1);
                epoch = row.getLong(2);
                silent = row.getDouble(3);
            }
        }
        boolean free = holder == null || silent * 1000 >= takeoverAfter.toMillis();
        if (!free) {
            return Optional.empty();
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE active_lock SET holder = ?, epoch = ?,"
                + " renewed_at = clock_timestamp(), taken_at = clock_timestamp() WHERE pair = ?")) {
            update.setString(1, node);
            update.setLong(2, epoch + 1);
            update.setString(3, pair);
            update.executeUpdate();
        }
        return Optional.of(new Taken(new PairFence(pair, node, epoch + 1), Optional.ofNullable(holder), silent));
    }

    /** Renews the lock; false once another node took it (this node is deposed). Throws when the database cannot say. */
    public boolean renew(PairFence fence) throws IOException {
        return update(fence, "UPDATE active_lock SET renewed_at = clock_timestamp()"
                + " WHERE pair = ? AND holder = ? AND epoch = ?", "renew");
    }

    /** Gives the lock up at a clean stop, so the standby takes over at its next heartbeat. */
    public boolean release(PairFence fence) throws IOException {
        return update(fence, "UPDATE active_lock SET holder = NULL WHERE pair = ? AND holder = ? AND epoch = ?",
                "release");
    }

    private boolean update(PairFence fence, String sql, String what) throws IOException {
        try (Connection c = database.getConnection(); PreparedStatement update = c.prepareStatement(sql)) {
            update.setString(1, fence.pair());
            update.setString(2, fence.node());
            update.setLong(3, fence.epoch());
            update.setQueryTimeout(queryTimeoutSeconds);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IOException("cannot " + what + " the active lock of pair " + pair + ": "
                    + PostgresDatabase.rootMessage(e), e);
        }
    }
}
