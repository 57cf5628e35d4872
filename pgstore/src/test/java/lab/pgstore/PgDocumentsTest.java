package lab.pgstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** State documents on a real server: what one node writes the other reads; scopes (pairs) stay apart. */
class PgDocumentsTest {

    private static LocalPostgres server;
    private static PostgresDatabase database;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> reason = LocalPostgres.unavailableReason();
        Assumptions.assumeTrue(reason.isEmpty(), () -> "skipped: " + reason.orElse(""));
        server = LocalPostgres.startOnLoopback();
        server.createDatabase("documents");
        database = PostgresDatabase.open(server.settings("documents"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (database != null) {
            database.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aDocumentWrittenByOneNodeIsReadByTheOtherAndReplacedWhole() throws IOException {
        PgDocuments a = new PgDocuments(database.dataSource(), "db", "lab", "a");
        PgDocuments b = new PgDocuments(database.dataSource(), "db", "lab", "b");

        assertThat(b.read("profile-assignments.json")).isEmpty();
        a.replace("profile-assignments.json", bytes("{\"02:00:00:aa:00:63\":{\"profile\":\"waf\",\"seq\":1}}"));
        b.replace("passwords-saved.json", bytes("{}"));
        a.replace("profile-assignments.json", bytes("{}"));

        assertThat(b.read("profile-assignments.json")).hasValueSatisfying(c -> assertThat(c).isEqualTo(bytes("{}")));
        assertThat(a.read("passwords-saved.json")).hasValueSatisfying(c -> assertThat(c).isEqualTo(bytes("{}")));
        assertThat(new PgDocuments(database.dataSource(), "db", "other-pair", "c").read("passwords-saved.json"))
                .isEmpty();
    }

    @Test
    void anUnreachableDatabaseIsNamedInTheError() {
        PostgresDatabase closed;
        try {
            closed = PostgresDatabase.open(server.settings("documents"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        closed.close();
        PgDocuments documents = new PgDocuments(closed.dataSource(), closed.settings().name(), "lab", "a");

        assertThat(catchThrowable(() -> documents.read("passwords-saved.json"))).isInstanceOf(IOException.class)
                .hasMessageContaining("document passwords-saved.json of lab in PostgreSQL");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
