package lab.pgstore;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared database, opened: a HikariCP pool, with the schema brought to this build's version by Flyway. Opening
 * fails with one clear sentence when the database is unreachable, refuses the login, or is at a newer schema than this
 * build knows (an appliance of a later version migrated it: this one must not write rows it does not understand).
 */
public final class PostgresDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresDatabase.class);
    static final String MIGRATIONS = "classpath:db/migration";

    private final PostgresSettings settings;
    private final HikariDataSource pool;

    private PostgresDatabase(PostgresSettings settings, HikariDataSource pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /** Connects, checks the schema version and migrates an older or empty schema; throws naming the database. */
    public static PostgresDatabase open(PostgresSettings settings) throws IOException {
        Objects.requireNonNull(settings, "settings");
        HikariDataSource pool = connect(settings);
        try {
            migrate(settings, pool);
        } catch (IOException | RuntimeException e) {
            pool.close();
            throw e;
        }
        warnIfCommitsAreNotDurable(settings, pool);
        return new PostgresDatabase(settings, pool);
    }

    /** With synchronous_commit off, a COMMIT's reply comes before its WAL is on disk: an ACK could outlive its lease. */
    private static void warnIfCommitsAreNotDurable(PostgresSettings settings, DataSource pool) {
        try (Connection c = pool.getConnection(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet row = s.executeQuery("SHOW synchronous_commit")) {
            if (row.next() && "off".equals(row.getString(1))) {
                LOG.warn("synchronous_commit is off on {}: a database crash can lose leases that were ACKed;"
                        + " set it to on for the appliance's role (ALTER ROLE ... SET synchronous_commit = on)",
                        settings.name());
            }
        } catch (SQLException e) {
            LOG.debug("could not read synchronous_commit", e);
        }
    }

    private static HikariDataSource connect(PostgresSettings settings) throws IOException {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(settings.url());
        hikari.setUsername(settings.user());
        hikari.setPassword(settings.password());
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setMinimumIdle(settings.poolSize());
        hikari.setPoolName("postgresql");
        hikari.setConnectionTimeout(Math.max(250, settings.connectTimeout().toMillis()));
        // Fail now with the driver's reason, rather than on the first lease commit.
        hikari.setInitializationFailTimeout(Math.max(1, settings.connectTimeout().toMillis()));
        hikari.setAutoCommit(true);
        long seconds = Math.max(1, settings.connectTimeout().toSeconds());
        hikari.addDataSourceProperty("connectTimeout", seconds);
        hikari.addDataSourceProperty("socketTimeout", 30);
        hikari.addDataSourceProperty("tcpKeepAlive", true);
        hikari.addDataSourceProperty("ApplicationName", "appliance");
        try {
            return new HikariDataSource(hikari);
        } catch (HikariPool.PoolInitializationException | IllegalArgumentException e) {
            throw new IOException("cannot connect to " + settings.name() + ": " + rootMessage(e), e);
        }
    }

    private static void migrate(PostgresSettings settings, DataSource pool) throws IOException {
        Flyway flyway = Flyway.configure().dataSource(pool).locations(MIGRATIONS)
                .loggers("slf4j").load();
        try {
            MigrationInfo[] all = flyway.info().all();
            // Applied migrations this build has no script for are "future" ones: a newer appliance wrote them.
            MigrationVersion known = Arrays.stream(all).filter(m -> !isFuture(m) && m.getVersion() != null)
                    .map(MigrationInfo::getVersion).max(MigrationVersion::compareTo).orElse(MigrationVersion.EMPTY);
            MigrationVersion newest = Arrays.stream(all).filter(PostgresDatabase::isFuture)
                    .map(MigrationInfo::getVersion).max(MigrationVersion::compareTo).orElse(null);
            if (newest != null) {
                throw new IOException(settings.name() + " is at schema version " + newest
                        + ", newer than the " + known + " this appliance knows: a later appliance migrated it;"
                        + " run that version (or restore the database) instead");
            }
            int applied = flyway.migrate().migrationsExecuted;
            MigrationInfo now = flyway.info().current();
            LOG.info("lease database ready database=\"{}\" schema_version={} migrations_applied={}", settings.name(),
                    now == null ? "none" : now.getVersion(), applied);
        } catch (FlywayException e) {
            throw new IOException("cannot prepare the schema of " + settings.name() + ": " + rootMessage(e), e);
        }
    }

    private static boolean isFuture(MigrationInfo migration) {
        return migration.getState().name().startsWith("FUTURE");
    }

    /** The pool every store of the appliance borrows its connections from. */
    public DataSource dataSource() {
        return pool;
    }

    public PostgresSettings settings() {
        return settings;
    }

    /** A connection from the pool, or an IOException naming the database. */
    public Connection connection() throws IOException {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw new IOException("cannot reach " + settings.name() + ": " + rootMessage(e), e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return settings.name();
    }
}
