package lab.appliance.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import lab.appliance.LogCapture;
import lab.dhcp.lease.FailingFileChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appending, compaction by snapshot, replay of {@code fleet.journal}, and a full or read-only disk. */
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
        // A copy left by a crash, readable by all: the compaction must not reuse it and take on its mode.
        Files.setPosixFilePermissions(Files.writeString(dir.resolve(FleetJournal.TEMP_NAME), "half a copy"),
            PosixFilePermissions.fromString("rw-r--r--"));
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

    @Test
    void aFailedWriteIsCutOffAndTheFileIsRewrittenFromMemoryWhenTheDiskIsBack() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        ChannelOpener disk = (path, options) -> FailingFileChannel.failingWhile(FileChannel.open(path, options), failing);
        List<FleetRecord> memory = new CopyOnWriteArrayList<>();
        FleetJournal journal = new FleetJournal(dir, FleetJournal.COMPACT_SLACK, disk, FleetJournal.COMPACT_RETRY);
        try (LogCapture logs = new LogCapture(FleetJournal.class.getName())) {
            journal.replay();
            journal.open(() -> new FleetJournal.Snapshot(List.copyOf(memory), memory.size()));
            append(journal, memory, 1);
            append(journal, memory, 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> new FleetJournal(dir).replay().size() == 2);

            failing.set(true);
            append(journal, memory, 3);
            append(journal, memory, 4);
            await().atMost(Duration.ofSeconds(10)).until(() -> !logs.at(Level.WARN).isEmpty());

            failing.set(false);
            append(journal, memory, 5);
            await().atMost(Duration.ofSeconds(10)).until(() -> !logs.at(Level.INFO).isEmpty());
            journal.close();

            assertThat(logs.at(Level.WARN)).singleElement().satisfies(m -> assertThat(m)
                    .contains("fleet journal write failed", "kept in memory"));
            assertThat(logs.at(Level.INFO)).anySatisfy(m -> assertThat(m)
                    .contains("fleet journal writable again, rewritten from memory", "dropped_lines=2"));
        }

        assertThat(new FleetJournal(dir).replay()).containsExactly(record(1), record(2), record(3), record(4), record(5));
        assertThat(Files.readString(dir.resolve(FleetJournal.FILE_NAME))).endsWith("\n");
    }

    @Test
    void aNearlyFullDiskThatTakesALineAndRefusesTheNextIsOneOutageWithOneWarn() throws Exception {
        AtomicBoolean appendsFail = new AtomicBoolean();
        AtomicBoolean copiesFail = new AtomicBoolean(true);
        ChannelOpener disk = (path, options) -> FailingFileChannel.failingWhile(FileChannel.open(path, options),
                path.getFileName().toString().equals(FleetJournal.TEMP_NAME) ? copiesFail : appendsFail);
        List<FleetRecord> memory = new CopyOnWriteArrayList<>();
        FleetJournal journal = new FleetJournal(dir, FleetJournal.COMPACT_SLACK, disk, Duration.ZERO);
        try (LogCapture logs = new LogCapture(FleetJournal.class.getName(), Level.DEBUG)) {
            journal.replay();
            journal.open(() -> new FleetJournal.Snapshot(List.copyOf(memory), memory.size()));
            for (int n = 1; n <= 6; n++) {
                // Refused, taken (its rewrite from memory refused), refused, taken, ...: one line each, at some level.
                appendsFail.set(n % 2 == 1);
                append(journal, memory, n);
                int lines = n;
                await().atMost(Duration.ofSeconds(10)).until(() -> logs.all().size() >= lines);
            }
            appendsFail.set(false);
            copiesFail.set(false);
            append(journal, memory, 7);
            journal.close();

            assertThat(logs.at(Level.WARN)).singleElement().satisfies(m -> assertThat(m)
                    .contains("fleet journal write failed"));
            assertThat(logs.at(Level.INFO)).singleElement().satisfies(m -> assertThat(m)
                    .contains("fleet journal writable again, rewritten from memory", "records=7"));
        }

        assertThat(new FleetJournal(dir).replay()).containsExactly(record(1), record(2), record(3), record(4),
                record(5), record(6), record(7));
    }

    @Test
    void aCompactionThatFailsLeavesTheOldFileInUseAndNoCopy() throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        ChannelOpener disk = (path, options) -> path.getFileName().toString().equals(FleetJournal.TEMP_NAME)
                ? FailingFileChannel.failingWhile(FileChannel.open(path, options), failing)
                : FileChannel.open(path, options);
        FleetJournal journal = new FleetJournal(dir, 1, disk, FleetJournal.COMPACT_RETRY);
        try (LogCapture logs = new LogCapture(FleetJournal.class.getName())) {
            journal.replay();
            journal.open(() -> new FleetJournal.Snapshot(List.of(record(3)), 3));
            for (int n = 1; n <= 3; n++) {
                journal.append(record(n), n);
            }
            journal.close();

            assertThat(logs.at(Level.WARN)).anySatisfy(m -> assertThat(m)
                    .contains("fleet journal compaction failed, appends go on to the old file"));
        }

        assertThat(dir.resolve(FleetJournal.TEMP_NAME)).doesNotExist();
        assertThat(new FleetJournal(dir).replay()).containsExactly(record(1), record(2), record(3));
    }

    @Test
    void aTornLastLineIsCutOffSoTheNextLineStandsAlone() throws Exception {
        String whole = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(record(1)) + "\n";
        Files.writeString(dir.resolve(FleetJournal.FILE_NAME), whole + "{\"mac\":\"02:00", StandardCharsets.UTF_8);

        FleetJournal journal = new FleetJournal(dir);
        assertThat(journal.replay()).containsExactly(record(1));
        journal.open(() -> new FleetJournal.Snapshot(List.of(), 0));
        journal.append(record(2), 1);
        journal.close();

        assertThat(new FleetJournal(dir).replay()).containsExactly(record(1), record(2));
    }

    private static void append(FleetJournal journal, List<FleetRecord> memory, int n) {
        memory.add(record(n));
        journal.append(record(n), n);
    }
}
