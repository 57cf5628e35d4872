package lab.config.model;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where leases and the appliance's state are kept. YAML section {@code store} (absent: the journal in the state
 * directory):
 * <ul>
 *   <li>{@code kind} (optional, default {@code journal}): {@code journal} or {@code postgresql};</li>
 *   <li>{@code url} (postgresql, required): {@code jdbc:postgresql://host:port/database};</li>
 *   <li>{@code user} (postgresql, optional, default {@code appliance});</li>
 *   <li>{@code password-file} (postgresql, optional): a file holding the password on its first line, taken from
 *       the config file's directory when relative; without it the login uses no password (trust, peer);</li>
 *   <li>{@code pool-size} (postgresql, optional, default 4): connections kept open, 2 to 64.</li>
 * </ul>
 */
public record StoreConfig(Kind kind, Optional<Postgres> postgresql) {

    /** The lease store's kind. */
    public enum Kind { JOURNAL, POSTGRESQL }

    /** How to reach the shared database. */
    public record Postgres(String url, String user, Optional<Path> passwordFile, int poolSize) {

        public static final String DEFAULT_USER = "appliance";
        public static final int DEFAULT_POOL_SIZE = 4;

        public Postgres {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(passwordFile, "passwordFile");
        }
    }

    /** No store section: the embedded journal. */
    public static final StoreConfig JOURNAL = new StoreConfig(Kind.JOURNAL, Optional.empty());

    public StoreConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(postgresql, "postgresql");
        if ((kind == Kind.POSTGRESQL) != postgresql.isPresent()) {
            throw new IllegalArgumentException("postgresql settings go with kind postgresql only");
        }
    }
}
