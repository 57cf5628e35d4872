package lab.pgstore;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The nodes of a pair as the database knows them ({@code appliance_node}): each node's row says its role and when it
 * last beat; with the lock row it is what {@code appliance status} shows.
 */
public final class PairRegistry {

    /** A node's role as it reports it. */
    public enum Role { ACTIVE, STANDBY, STOPPED }

    /** One node as last reported, with the database's own view of how long ago that was. */
    public record Node(String node, Role role, String address, String version, double secondsSinceHeartbeat,
                       String startedAt) {
    }

    /** The lock row: who holds it, at which epoch, and how long ago it was renewed. */
    public record Lock(Optional<String> holder, long epoch, double secondsSinceRenewal, String takenAt) {
    }

    /** The whole pair. */
    public record Status(String pair, Optional<Lock> lock, List<Node> nodes) {
    }

    private final DataSource database;
    private final String pair;

    public PairRegistry(DataSource database, String pair) {
        this.database = Objects.requireNonNull(database, "database");
        this.pair = Objects.requireNonNull(pair, "pair");
    }

    /** Records this node's role and heartbeat. */
    public void report(String node, Role role, String address, String version) throws IOException {
        try (Connection c = database.getConnection(); PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO appliance_node (pair, node, role, address, version, started_at, heartbeat_at)"
                        + " VALUES (?, ?, ?, ?, ?, clock_timestamp(), clock_timestamp()) ON CONFLICT (pair, node)"
                        + " DO UPDATE SET role = excluded.role, address = excluded.address,"
                        + " version = excluded.version, heartbeat_at = excluded.heartbeat_at,"
                        + " started_at = CASE WHEN appliance_node.role = 'stopped' THEN excluded.started_at"
                        + " ELSE appliance_node.started_at END")) {
            upsert.setString(1, pair);
            upsert.setString(2, node);
            upsert.setString(3, role.name().toLowerCase(java.util.Locale.ROOT));
            upsert.setString(4, address);
            upsert.setString(5, version);
            upsert.setQueryTimeout(5);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("cannot report node " + node + " of pair " + pair + ": "
                    + PostgresDatabase.rootMessage(e), e);
        }
    }

    /** Reads the pair's lock and nodes. */
    public Status status() throws IOException {
        try (Connection c = database.getConnection()) {
            Optional<Lock> lock = Optional.empty();
            try (PreparedStatement select = c.prepareStatement("SELECT holder, epoch,"
                    + " extract(epoch FROM clock_timestamp() - renewed_at)::float8, taken_at::text"
                    + " FROM active_lock WHERE pair = ?")) {
                select.setString(1, pair);
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        lock = Optional.of(new Lock(Optional.ofNullable(row.getString(1)), row.getLong(2),
                                row.getDouble(3), row.getString(4)));
                    }
                }
            }
            List<Node> nodes = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT node, role, address, version,"
                    + " extract(epoch FROM clock_timestamp() - heartbeat_at)::float8, started_at::text"
                    + " FROM appliance_node WHERE pair = ? ORDER BY node")) {
                select.setString(1, pair);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        nodes.add(new Node(row.getString(1),
                                Role.valueOf(row.getString(2).toUpperCase(java.util.Locale.ROOT)), row.getString(3),
                                row.getString(4), row.getDouble(5), row.getString(6)));
                    }
                }
            }
            return new Status(pair, lock, nodes);
        } catch (SQLException e) {
            throw new IOException("cannot read pair " + pair + ": " + PostgresDatabase.rootMessage(e), e);
        }
    }
}
