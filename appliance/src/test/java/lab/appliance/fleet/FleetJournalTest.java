package lab.appliance.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appending, compaction by snapshot, and replay of {@code fleet.journal}. */
class FleetJournalTest {

    @TempDir
    Path dir;

    private static FleetRecord record(int n) {
        return new FleetRecord("02:00:00:00:00:17", 1, java.time.Instant.parse("2026-11-25T12:00:" + String.format("%02d", n) + "Z"),
            BootEvent.Kind.REQUEST, "192.0.2.17", null, null, null);
    }

    @Test
    void aGrownJournalIsRewrittenFromTheSnapshotAndRecordsItHoldsAreNotAppendedAgain() throws Exception {
        FleetJournal journal = new FleetJournal(dir, 3);
        journal.replay();
        // What is live after trimming: records 3..5 (through sequence 5); 5 is still queued when it is taken.
        journal.open(() -> new FleetJournal.Snapshot(List.of(record(3), record(4), record(5)), 5));
        for (int n = 1; n <= 6; n++) {
            journal.append(record(n), n);
        }
        journal.close();

        assertThat(Files.exists(dir.resolve(FleetJournal.TEMP_NAME))).isFalse();
        List<FleetRecord> replayed = new FleetJournal(dir).replay();
        assertThat(replayed).containsExactly(record(3), record(4), record(5), record(6));
    }

    /** The timeline names every VM and what it reported: the journal and its compaction are the owner's only. */
    @Test
    void journalAndItsCompactionAreCreatedForTheOwnerOnly() throws Exception {
        FleetJournal journal = new FleetJournal(dir, 3);
        journal.replay();
        journal.open(() -> new FleetJournal.Snapshot(List.of(record(1)), 1));
        journal.append(record(1), 1);
        for (int n = 2; n <= 5; n++) {
            journal.append(record(n), n);
        }
        journal.close();

        assertThat(new FleetJournal(dir).replay()).as("compacted once").startsWith(record(1)).doesNotContain(record(2));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(FleetJournal.FILE_NAME))))
            .isEqualTo("rw-------");
    }

    @Test
    void aMissingJournalReplaysAsEmpty() throws Exception {
        assertThat(new FleetJournal(dir).replay()).isEmpty();
    }
}
