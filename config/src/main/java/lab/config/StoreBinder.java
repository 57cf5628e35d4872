package lab.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import lab.config.model.StoreConfig;

/** Binds the {@code store} section: the journal, or the PostgreSQL database and how to log in to it. */
final class StoreBinder {

    static final List<String> KEYS = List.of("kind", "url", "user", "password-file", "pool-size");
    private static final List<String> POSTGRES_KEYS = List.of("url", "user", "password-file", "pool-size");

    private final Problems problems;
    private final Path configDirectory;

    StoreBinder(Problems problems, Path configDirectory) {
        this.problems = problems;
        this.configDirectory = configDirectory;
    }

    /** The section's store, or empty if it is wrong (reported). */
    Optional<StoreConfig> bind(MappingReader store) {
        Optional<Located<StoreConfig.Kind>> given = store.scalar("kind", ScalarTypes.STORE_KIND);
        if (store.has("kind") && given.isEmpty()) {
            return Optional.empty();
        }
        StoreConfig.Kind kind = given.map(Located::value).orElse(StoreConfig.Kind.JOURNAL);
        if (kind == StoreConfig.Kind.JOURNAL) {
            for (String key : POSTGRES_KEYS) {
                if (store.has(key)) {
                    problems.report(store.origin(), ConfigProblem.quote(key) + " is only for the PostgreSQL store"
                            + " (expected \"kind: postgresql\" with it, or no " + key + ")");
                }
            }
            return Optional.of(StoreConfig.JOURNAL);
        }
        Optional<String> url = store.requiredScalar("url", ScalarTypes.JDBC_URL).map(Located::value);
        String user = store.scalar("user", ScalarTypes.DATABASE_USER).map(Located::value)
                .orElse(StoreConfig.Postgres.DEFAULT_USER);
        Optional<Path> passwordFile = store.scalar("password-file", ScalarTypes.FILE)
                .map(located -> configDirectory.resolve(located.value()).normalize());
        int poolSize = store.scalar("pool-size", ScalarTypes.POOL_SIZE).map(Located::value)
                .orElse(StoreConfig.Postgres.DEFAULT_POOL_SIZE);
        return url.map(u -> new StoreConfig(kind,
                Optional.of(new StoreConfig.Postgres(u, user, passwordFile, poolSize))));
    }
}
