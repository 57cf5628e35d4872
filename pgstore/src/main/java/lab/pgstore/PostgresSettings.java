package lab.pgstore;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the shared PostgreSQL database.
 *
 * @param url            a JDBC URL, {@code jdbc:postgresql://host:port/database}
 * @param user           the role the appliance logs in as
 * @param password       that role's password ("" for trust or peer authentication)
 * @param poolSize       connections kept open (writes use one at a time; reads and the pair's heartbeat the rest)
 * @param connectTimeout how long a connection attempt may take before the database counts as unreachable
 */
public record PostgresSettings(String url, String user, String password, int poolSize, Duration connectTimeout) {

    public static final int DEFAULT_POOL_SIZE = 4;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    public PostgresSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException("poolSize must be at least 2, got " + poolSize);
        }
    }

    public PostgresSettings(String url, String user, String password) {
        this(url, user, password, DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT);
    }

    /** The database as errors and logs name it: its URL and role, never the password. */
    public String name() {
        return "PostgreSQL " + url + " (user " + user + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}
