package lab.appliance.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import lab.pgstore.LoopbackPostgresExtension;
import lab.pgstore.PgTimelineLines;
import lab.pgstore.PostgresDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fleet timeline in a real PostgreSQL database: what one node appended the next one replays; compaction. */
class DatabaseFleetStoreTest {

    @RegisterExtension
    static final LoopbackPostgresExtension POSTGRES = new LoopbackPostgresExtension("fleet");

    private PostgresDatabase database;

    @BeforeEach
    void freshDatabase() {
        database = POSTGRES.freshDatabase();
    }

    @Test
    void whatOneNodeAppendedTheNextReplaysInOrder() throws Exception {
        DatabaseFleetStore first = new DatabaseFleetStore(lines("lab"));
        assertThat(first.replay()).isEmpty();
        first.open(() -> new FleetStore.Snapshot(List.of(), 0));
        for (int n = 1; n <= 5; n++) {
            first.append(record(n), n);
        }
        first.close();

        assertThat(new DatabaseFleetStore(lines("lab")).replay())
                .containsExactly(record(1), record(2), record(3), record(4), record(5));
        assertThat(new DatabaseFleetStore(lines("other-pair")).replay()).isEmpty();
    }

    @Test
    void aGrownTimelineIsReplacedByTheSnapshotAndRecordsItHoldsAreNotAppendedAgain() throws Exception {
        DatabaseFleetStore store = new DatabaseFleetStore(lines("lab"), 3);
        store.replay();
        store.open(() -> new FleetStore.Snapshot(List.of(record(3), record(4), record(5)), 5));
        for (int n = 1; n <= 3; n++) {
            store.append(record(n), n);
        }
        // Waits for the first three to be written, so the next batch is the one that grows past the slack.
        org.awaitility.Awaitility.await().until(() -> lines("lab").all().size() == 3);
        store.append(record(4), 4);
        store.append(record(5), 5);
        store.close();
        DatabaseFleetStore again = new DatabaseFleetStore(lines("lab"), 3);
        again.replay();
        again.open(() -> new FleetStore.Snapshot(List.of(), 0));
        again.append(record(6), 6);
        again.close();

        assertThat(new DatabaseFleetStore(lines("lab")).replay())
                .containsExactly(record(3), record(4), record(5), record(6));
    }

    private PgTimelineLines lines(String scope) {
        return new PgTimelineLines(database.dataSource(), database.settings().name(), scope);
    }

    private static FleetRecord record(int n) {
        return new FleetRecord("02:00:00:00:00:17", 1, Instant.parse("2026-11-25T12:00:" + String.format("%02d", n)
                + "Z"), BootEvent.Kind.REQUEST, "192.0.2.17", null, null, null);
    }
}
