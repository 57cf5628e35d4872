package lab.pgstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** State documents on a real server: what one node writes the other reads; scopes (pairs) stay apart. */
class PgDocumentsTest {

    @RegisterExtension
    static final LoopbackPostgresExtension POSTGRES = new LoopbackPostgresExtension("documents");

    private static PostgresDatabase database;

    @BeforeAll
    static void openDatabase() {
        database = POSTGRES.freshDatabase();
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
            closed = PostgresDatabase.open(database.settings());
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
