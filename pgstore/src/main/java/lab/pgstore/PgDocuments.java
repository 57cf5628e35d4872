package lab.pgstore;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** Named documents of one scope (a pair) in {@code state_document}, each read and replaced whole in one statement. */
public final class PgDocuments {

    private final DataSource database;
    private final String databaseName;
    private final String scope;
    private final String writer;

    public PgDocuments(DataSource database, String databaseName, String scope, String writer) {
        this.database = Objects.requireNonNull(database, "database");
        this.databaseName = Objects.requireNonNull(databaseName, "databaseName");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /** The document, if it was ever written. */
    public Optional<byte[]> read(String name) throws IOException {
        try (Connection c = database.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT content FROM state_document WHERE scope = ? AND name = ?")) {
            select.setString(1, scope);
            select.setString(2, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IOException("cannot read " + where(name) + ": " + PostgresDatabase.rootMessage(e), e);
        }
    }

    /** Replaces the document; committed (on the server's disk) when this returns. */
    public void replace(String name, byte[] content) throws IOException {
        try (Connection c = database.getConnection(); PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO state_document (scope, name, content, written_by) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (scope, name) DO UPDATE SET content = excluded.content,"
                        + " updated_at = clock_timestamp(), written_by = excluded.written_by")) {
            upsert.setString(1, scope);
            upsert.setString(2, name);
            upsert.setBytes(3, content);
            upsert.setString(4, writer);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("cannot write " + where(name) + ": " + PostgresDatabase.rootMessage(e), e);
        }
    }

    /** How messages name a document. */
    public String where(String name) {
        return "document " + name + " of " + scope + " in " + databaseName;
    }
}
