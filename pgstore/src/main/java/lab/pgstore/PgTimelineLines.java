package lab.pgstore;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/** One scope's (pair's) fleet timeline in {@code fleet_line}: opaque lines, appended in order, replaced whole. */
public final class PgTimelineLines {

    private final DataSource database;
    private final String databaseName;
    private final String scope;

    public PgTimelineLines(DataSource database, String databaseName, String scope) {
        this.database = Objects.requireNonNull(database, "database");
        this.databaseName = Objects.requireNonNull(databaseName, "databaseName");
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    /** Every line, in the order appended. */
    public List<String> all() throws IOException {
        try (Connection c = database.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT line FROM fleet_line WHERE scope = ? ORDER BY id")) {
            select.setString(1, scope);
            select.setFetchSize(10_000);
            List<String> lines = new ArrayList<>();
            c.setAutoCommit(false); // the driver streams with a fetch size only inside a transaction
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    lines.add(rows.getString(1));
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
            return lines;
        } catch (SQLException e) {
            throw new IOException("cannot read the fleet timeline of " + scope + " from " + databaseName + ": "
                    + PostgresDatabase.rootMessage(e), e);
        }
    }

    /** Appends the lines in one statement. */
    public void append(List<String> lines) throws IOException {
        try (Connection c = database.getConnection()) {
            insert(c, lines);
        } catch (SQLException e) {
            throw new IOException("cannot append to the fleet timeline of " + scope + " in " + databaseName + ": "
                    + PostgresDatabase.rootMessage(e), e);
        }
    }

    /** Replaces every line of the scope by {@code lines}, in one transaction. */
    public void replaceAll(List<String> lines) throws IOException {
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM fleet_line WHERE scope = ?")) {
                delete.setString(1, scope);
                delete.executeUpdate();
                insert(c, lines);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IOException("cannot rewrite the fleet timeline of " + scope + " in " + databaseName + ": "
                    + PostgresDatabase.rootMessage(e), e);
        }
    }

    private void insert(Connection c, List<String> lines) throws SQLException {
        if (lines.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO fleet_line (scope, line) SELECT ?, l FROM unnest(?::text[]) WITH ORDINALITY AS t(l, n)"
                        + " ORDER BY n")) {
            Array array = c.createArrayOf("text", lines.toArray());
            insert.setString(1, scope);
            insert.setArray(2, array);
            insert.executeUpdate();
        }
    }
}
