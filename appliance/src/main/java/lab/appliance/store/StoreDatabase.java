package lab.appliance.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lab.config.model.StoreConfig;
import lab.pgstore.PostgresDatabase;
import lab.pgstore.PostgresSettings;

/** Opens the database the {@code store} section names, its password read from its password file. */
public final class StoreDatabase {

    private StoreDatabase() {
    }

    /** The settings, with the password read; throws naming the password file when it cannot be read. */
    public static PostgresSettings settings(StoreConfig.Postgres store) throws IOException {
        String password = "";
        if (store.passwordFile().isPresent()) {
            password = readPassword(store.passwordFile().get());
        }
        return new PostgresSettings(store.url(), store.user(), password, store.poolSize(),
                PostgresSettings.DEFAULT_CONNECT_TIMEOUT);
    }

    /** Connects and migrates; throws with one sentence naming the database (never the password). */
    public static PostgresDatabase open(StoreConfig.Postgres store) throws IOException {
        return PostgresDatabase.open(settings(store));
    }

    private static String readPassword(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read the database password file " + file + ": " + e, e);
        }
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new IOException("the database password file " + file + " is empty (expected the password on its"
                    + " first line)");
        }
        return lines.get(0);
    }
}
