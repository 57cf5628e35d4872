package lab.pgstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link LocalPostgres} on loopback for a test class, registered as a static {@code @RegisterExtension}: the class
 * is skipped, with the reason, where no server can run here; {@link #freshDatabase} gives a new migrated database,
 * closed after the test that opened it (or after the class, when opened in {@code @BeforeAll}).
 */
public final class LoopbackPostgresExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private final String prefix;
    private final AtomicInteger databases = new AtomicInteger();
    private final List<PostgresDatabase> openedInTest = new CopyOnWriteArrayList<>();
    private final List<PostgresDatabase> openedForClass = new CopyOnWriteArrayList<>();
    private volatile boolean inTest;
    private LocalPostgres server;

    /** @param prefix what the databases this class makes are called before their number ({@code pair_3}) */
    public LoopbackPostgresExtension(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Optional<String> reason = LocalPostgres.unavailableReason();
        Assumptions.assumeTrue(reason.isEmpty(), () -> "skipped: " + reason.orElse(""));
        server = LocalPostgres.startOnLoopback();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        inTest = true;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        inTest = false;
        closeAll(openedInTest);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        closeAll(openedForClass);
        if (server != null) {
            server.close();
        }
    }

    /** The server, for URLs, settings, the password and queries. */
    public LocalPostgres server() {
        return server;
    }

    /** Creates an empty database of a new name and returns the name; nothing opens it. */
    public String newDatabaseName() {
        String name = prefix + "_" + databases.incrementAndGet();
        try {
            server.createDatabase(name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on the test server", e);
        }
        return name;
    }

    /** A new database, migrated and open. */
    public PostgresDatabase freshDatabase() {
        String name = newDatabaseName();
        try {
            PostgresDatabase database = PostgresDatabase.open(server.settings(name));
            (inTest ? openedInTest : openedForClass).add(database);
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeAll(List<PostgresDatabase> open) {
        open.forEach(PostgresDatabase::close);
        open.clear();
    }
}
