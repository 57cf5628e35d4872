package lab.dhcp.lease;

import static lab.dhcp.lease.TestLeases.active;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeaseJournalTest {

    private static final String HEADER = "{\"format\":\"appliance-lease-journal\",\"version\":1}\n";

    @TempDir
    Path dir;

    private final JournalFormat format = new JournalFormat();

    @Test
    void missingJournalIsCreatedWithHeader() throws Exception {
        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).isEmpty();
        }

        assertThat(Files.readString(dir.resolve("leases.journal"))).isEqualTo(HEADER);
    }

    @Test
    void appendedRecordsReplayInOrder() throws Exception {
        try (LeaseJournal journal = new LeaseJournal(dir)) {
            journal.load();
            append(journal, active(1)).get();
            append(journal, active(2)).get();
        }

        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).containsExactly(active(1), active(2));
        }
    }

    @Test
    void timingsHearEveryDurableAppendWithItsRecords() throws Exception {
        List<Integer> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<java.time.Duration> took = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        try (LeaseJournal journal = new LeaseJournal(dir, (n, d) -> {
            records.add(n);
            took.add(d);
        })) {
            journal.load();
            for (int i = 0; i < 50; i++) {
                futures.add(append(journal, active(i)));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }

        // Group commit may put several records under one force: every record is counted exactly once.
        assertThat(records.stream().mapToInt(Integer::intValue).sum()).isEqualTo(50);
        assertThat(took).hasSameSizeAs(records).allMatch(d -> !d.isNegative());
    }

    @Test
    void appendBeforeReplayOrAfterCloseFailsAtOnce() throws Exception {
        LeaseJournal journal = new LeaseJournal(dir);
        assertThat(append(journal, active(1))).isCompletedExceptionally();

        journal.load();
        journal.close();

        CompletableFuture<Void> late = append(journal, active(2));
        assertThat(late).isCompletedExceptionally();
        assertThatThrownBy(late::join).hasCauseInstanceOf(IOException.class).hasMessageContaining("is closed");
    }

    @Test
    void closeDrainsPendingAppends() throws Exception {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        try (LeaseJournal journal = new LeaseJournal(dir)) {
            journal.load();
            for (int i = 0; i < 200; i++) {
                futures.add(append(journal, active(i)));
            }
        }

        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).hasSize(200);
        }
    }

    @Test
    void groupCommitWritesEverythingQueuedWithOneForce() throws Exception {
        try (LeaseJournal journal = new LeaseJournal(dir)) {
            journal.load();
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // Hold the writer thread so the appends below pile up in its queue. Wait until it is inside the batch's
            // supplier: before that it may still be draining the queue, and would take some appends into its round.
            // The batch is empty, so it takes no force of its own.
            CompletableFuture<List<Lease>> blocker = journal.writeBatch(() -> {
                holding.countDown();
                await(release);
                return List.of();
            }, records -> { });
            await(holding);
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                futures.add(append(journal, active(i)));
            }
            long forcesBefore = journal.forceCount();

            release.countDown();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();

            assertThat(blocker).isCompleted();
            assertThat(journal.forceCount() - forcesBefore).isEqualTo(1);
        }
    }

    @Test
    void fullQueueRefusesWritesAtOnceAsBusyAndCountsThem() throws Exception {
        ForceGate gate = new ForceGate();
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        try (LeaseJournal journal = new LeaseJournal(dir, gate.opener(), JournalTimings.NONE, 4)) {
            journal.load();
            gate.hold();
            accepted.add(append(journal, active(0)));
            gate.awaitWriterInside();
            for (int i = 1; i <= 4; i++) {
                accepted.add(append(journal, active(i)));
            }

            CompletableFuture<Void> refused = append(journal, active(5));
            CompletableFuture<List<Lease>> refusedBatch = journal.writeBatch(() -> List.of(active(6)), r -> { });

            assertThat(refused).isCompletedExceptionally();
            assertThatThrownBy(refused::join).cause().isInstanceOf(LeaseStoreBusyException.class)
                    .hasMessageContaining("lease journal " + dir.resolve("leases.journal"))
                    .hasMessageContaining("4 writes");
            assertThat(refusedBatch).isCompletedExceptionally();
            assertThatThrownBy(refusedBatch::join).cause().isInstanceOf(LeaseStoreBusyException.class);
            assertThat(journal.busyRejections()).isEqualTo(2);
            assertThat(accepted).noneMatch(CompletableFuture::isDone);

            gate.release();
            CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            append(journal, active(7)).get(30, TimeUnit.SECONDS);
            assertThat(journal.busyRejections()).isEqualTo(2);
        }

        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).containsExactly(active(0), active(1), active(2), active(3), active(4),
                    active(7));
        }
    }

    @Test
    void queueHoldsItsDocumentedCapacityByDefault() throws Exception {
        ForceGate gate = new ForceGate();
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        try (LeaseJournal journal = new LeaseJournal(dir, gate.opener())) {
            journal.load();
            gate.hold();
            accepted.add(append(journal, active(0)));
            gate.awaitWriterInside();
            for (int i = 0; i < LeaseJournal.QUEUE_CAPACITY; i++) {
                accepted.add(append(journal, active(i % 700)));
            }

            assertThat(accepted).noneMatch(CompletableFuture::isDone);
            assertThat(append(journal, active(1))).isCompletedExceptionally();
            assertThat(journal.busyRejections()).isEqualTo(1);
            gate.release();
            CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void laterLinesWinAndDamagedMiddleLineIsSkippedWithItsLineNumber() throws Exception {
        Lease renewed = active(1, 1, java.time.Duration.ofHours(5));
        write(HEADER, line(active(1)), "{\"ip\":\"192.0.2.2\",\"mac\":\n", line(renewed));

        try (LogCapture logs = new LogCapture(); LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).containsExactly(active(1), renewed);
            assertThat(logs.at(Level.WARN)).singleElement().asString()
                    .contains("lease journal line skipped", "file=" + dir.resolve("leases.journal"), "line=3");
        }
    }

    /**
     * Found by the replay property test: with its newline lost, a line held two records and read as the first
     * alone, the second gone without a WARN and not counted against the damage budget.
     */
    @Test
    void twoRecordsRunTogetherAreOneDamagedLineNotTheFirstOfThem() throws Exception {
        String first = line(active(1));
        write(HEADER, first.substring(0, first.length() - 1) + " " + line(active(2)), line(active(3)));

        try (LogCapture logs = new LogCapture(); LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).containsExactly(active(3));
            assertThat(logs.at(Level.WARN)).singleElement().asString()
                    .contains("lease journal line skipped", "line=2", "Trailing token");
        }
    }

    /** A journal written before leases kept their profile replays with no profile, and new lines keep theirs. */
    @Test
    void journalWithoutProfilesReplaysAndLaterLinesKeepTheirs() throws Exception {
        String old = "{\"ip\":\"192.0.2.1\",\"mac\":\"02:00:00:00:00:01\",\"state\":\"ACTIVE\","
                + "\"start\":\"2026-01-02T03:04:05Z\",\"expires\":\"2026-01-02T04:04:05Z\",\"clientId\":\"\","
                + "\"hostname\":\"vm1\"}\n";
        write(HEADER, old);

        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).singleElement().satisfies(lease -> {
                assertThat(lease.profile()).isEmpty();
                assertThat(lease.hostname()).isEqualTo("vm1");
            });
            append(journal, active(2)).get();
        }

        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).extracting(Lease::profile).containsExactly("", "waf");
        }
    }

    @Test
    void tornLastLineIsSkippedAndCutOffAndAppendsContinue() throws Exception {
        String good = HEADER + line(active(1));
        write(good, line(active(2)).substring(0, 30));

        try (LogCapture logs = new LogCapture(); LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).containsExactly(active(1));
            assertThat(logs.at(Level.WARN)).singleElement().asString().contains("partial line", "line=3");
            assertThat(Files.size(dir.resolve("leases.journal"))).isEqualTo(good.length());
            append(journal, active(3)).get();
        }

        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).containsExactly(active(1), active(3));
        }
    }

    @Test
    void tooManyDamagedLinesStopStartupNamingFileAndLine() throws Exception {
        StringBuilder content = new StringBuilder(HEADER).append(line(active(1)));
        for (int i = 0; i < 11; i++) {
            content.append("garbage ").append(i).append('\n');
        }
        write(content.toString());

        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThatThrownBy(journal::load)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(dir.resolve("leases.journal").toString())
                    .hasMessageContaining("11 of 12")
                    .hasMessageContaining("line 3");
        }
    }

    @Test
    void tenDamagedLinesAreWithinBudget() throws Exception {
        StringBuilder content = new StringBuilder(HEADER);
        for (int i = 0; i < 10; i++) {
            content.append("garbage\n");
        }
        write(content.append(line(active(1))).toString());

        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).containsExactly(active(1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"format\":\"appliance-lease-journal\",\"version\":2}\n",
        "address,hwaddr,client_id,valid_lifetime\n",
        "{\"format\":\"other\"",
    })
    void foreignOrNewerJournalStopsStartup(String firstLine) throws Exception {
        write(firstLine);

        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThatThrownBy(journal::load)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(dir.resolve("leases.journal").toString());
        }
    }

    @Test
    void journalThatIsNotAFileStopsStartup() throws Exception {
        Files.createDirectory(dir.resolve("leases.journal"));

        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThatThrownBy(journal::load)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(dir.resolve("leases.journal") + " is not a regular file");
        }
    }

    @Test
    void journalCutInsideItsHeaderStartsEmpty() throws Exception {
        write(HEADER.substring(0, 12));

        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).isEmpty();
            append(journal, active(1)).get();
        }

        assertThat(Files.readString(dir.resolve("leases.journal"))).isEqualTo(HEADER + line(active(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{\"format\":\"appliance-lease-j", "complete"})
    void leftoverCompactionFileIsDiscarded(String leftover) throws Exception {
        write(HEADER, line(active(1)), line(active(2)));
        String compact = "complete".equals(leftover) ? HEADER + line(active(9)) : leftover;
        Files.writeString(dir.resolve("leases.journal.compact"), compact);

        try (LogCapture logs = new LogCapture(); LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).containsExactly(active(1), active(2));
            assertThat(logs.at(Level.INFO)).anySatisfy(message ->
                    assertThat(message).contains("unfinished lease journal compaction discarded"));
        }
        assertThat(dir.resolve("leases.journal.compact")).doesNotExist();
    }

    @Test
    void compactionReplacesTheFileAndAppendsGoToTheNewOne() throws Exception {
        try (LeaseJournal journal = new LeaseJournal(dir)) {
            journal.load();
            for (int i = 0; i < 5; i++) {
                append(journal, active(1, i, java.time.Duration.ofHours(i + 1))).get();
            }
            Object before = Files.readAttributes(dir.resolve("leases.journal"),
                    java.nio.file.attribute.BasicFileAttributes.class).fileKey();

            journal.replace(() -> List.of(active(1, 4, java.time.Duration.ofHours(5)))).get();
            append(journal, active(2)).get();

            Object after = Files.readAttributes(dir.resolve("leases.journal"),
                    java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            assertThat(after).isNotEqualTo(before);
            assertThat(Files.readString(dir.resolve("leases.journal")))
                    .isEqualTo(HEADER + line(active(1, 4, java.time.Duration.ofHours(5))) + line(active(2)));
            assertThat(dir.resolve("leases.journal.compact")).doesNotExist();
        }
    }

    /** The journal names every VM: its files are created 0600, a state directory it has to create 0700. */
    @Test
    void journalCompactionAndCreatedStateDirectoryAreTheOwnersOnly() throws Exception {
        Path stateDir = dir.resolve("var").resolve("state");
        try (LeaseJournal journal = new LeaseJournal(stateDir)) {
            journal.load();
            append(journal, active(1)).get();
            assertThat(mode(dir.resolve("var"))).isEqualTo("rwx------");
            assertThat(mode(stateDir)).isEqualTo("rwx------");
            assertThat(mode(stateDir.resolve("leases.journal"))).as("new journal").isEqualTo("rw-------");

            journal.replace(() -> List.of(active(1))).get();

            assertThat(mode(stateDir.resolve("leases.journal"))).as("compacted journal").isEqualTo("rw-------");
        }
    }

    @Test
    void anExistingStateDirectoryKeepsTheModeItWasGiven() throws Exception {
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        try (LeaseJournal journal = new LeaseJournal(dir)) {
            journal.load();
        }

        assertThat(mode(dir)).isEqualTo("rwxr-x---");
        assertThat(mode(dir.resolve("leases.journal"))).isEqualTo("rw-------");
    }

    private static String mode(Path path) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void failedWriteFailsTheAppendLogsOnceAndTheNextAppendAfterRecoveryWorks() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        Path file = dir.resolve("leases.journal");
        try (LogCapture logs = new LogCapture();
             LeaseJournal journal = new LeaseJournal(dir, FailingFileChannel.opener(failing))) {
            journal.load();
            append(journal, active(1)).get();

            failing.set(true);
            CompletableFuture<Void> first = append(journal, active(2));
            CompletableFuture<Void> second = append(journal, active(3));
            assertThatThrownBy(first::join).hasCauseInstanceOf(IOException.class)
                    .hasMessageContaining("cannot write lease journal " + file);
            assertThatThrownBy(second::join).hasCauseInstanceOf(IOException.class);
            assertThat(logs.at(Level.ERROR)).hasSize(1);

            failing.set(false);
            append(journal, active(4)).get();
            assertThat(logs.at(Level.INFO)).anySatisfy(m -> assertThat(m).contains("lease journal writable again"));
        }

        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).containsExactly(active(1), active(4));
        }
    }

    @Test
    void failedForceLeavesNoRecordBehind() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        try (LeaseJournal journal = new LeaseJournal(dir, FailingFileChannel.forceFailingOpener(failing))) {
            journal.load();
            failing.set(true);
            assertThat(append(journal, active(1))).failsWithin(10, TimeUnit.SECONDS);
            failing.set(false);
            append(journal, active(2)).get();
        }

        assertThat(Files.readString(dir.resolve("leases.journal"))).isEqualTo(HEADER + line(active(2)));
    }

    @Test
    void healthShowsTheOutageFromTheFirstFailedWriteToTheNextGoodOne() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        try (LeaseJournal journal = new LeaseJournal(dir, FailingFileChannel.opener(failing))) {
            journal.load();
            append(journal, active(1)).get();
            assertThat(journal.writable()).isTrue();

            failing.set(true);
            assertThat(append(journal, active(2))).failsWithin(10, TimeUnit.SECONDS);
            assertThat(append(journal, active(3))).failsWithin(10, TimeUnit.SECONDS);
            assertThat(journal.writable()).isFalse();
            assertThat(journal.failedWrites()).isEqualTo(2);

            failing.set(false);
            append(journal, active(4)).get();
            assertThat(journal.writable()).isTrue();
            assertThat(journal.failedWrites()).as("a count, not a state").isEqualTo(2);
            assertThat(journal.failedCompactions()).isZero();
        }
    }

    @Test
    void aJournalThatCannotBeReopenedKeepsFailingWithOneErrorAndResumesWhenItCan() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        AtomicBoolean readOnly = new AtomicBoolean();
        ChannelOpener opener = (path, options) -> {
            if (readOnly.get()) {
                throw new java.nio.file.FileSystemException(path.toString(), null, "Read-only file system");
            }
            return FailingFileChannel.opener(failing).open(path, options);
        };
        try (LogCapture logs = new LogCapture(); LeaseJournal journal = new LeaseJournal(dir, opener)) {
            journal.load();
            append(journal, active(1)).get();

            // The write fails on the open file, then every retry fails to reopen it: one outage, one ERROR.
            failing.set(true);
            readOnly.set(true);
            for (int i = 2; i <= 5; i++) {
                assertThat(append(journal, active(i))).failsWithin(10, TimeUnit.SECONDS);
            }
            assertThat(logs.at(Level.ERROR)).singleElement().satisfies(m -> assertThat(m)
                    .contains("lease journal write failed", "no ACK", "No space left on device"));
            assertThat(journal.failedWrites()).isEqualTo(4);

            failing.set(false);
            readOnly.set(false);
            append(journal, active(6)).get();
            assertThat(logs.at(Level.INFO)).anySatisfy(m -> assertThat(m)
                    .contains("lease journal writable again", "failed_batches=4", "seconds="));
        }

        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).containsExactly(active(1), active(6));
        }
    }

    @Test
    void aCompactionThatRunsOutOfSpaceLeavesTheOldJournalWholeAndInUse() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        ChannelOpener opener = (path, options) -> path.getFileName().toString().equals(LeaseJournal.COMPACT_NAME)
                ? FailingFileChannel.opener(failing).open(path, options)
                : java.nio.channels.FileChannel.open(path, options);
        Path file = dir.resolve("leases.journal");
        try (LogCapture logs = new LogCapture(); LeaseJournal journal = new LeaseJournal(dir, opener)) {
            journal.load();
            append(journal, active(1)).get();
            append(journal, active(2)).get();
            byte[] before = Files.readAllBytes(file);

            failing.set(true);
            assertThat(journal.replace(() -> List.of(active(2)))).failsWithin(10, TimeUnit.SECONDS);
            assertThat(journal.replace(() -> List.of(active(2)))).failsWithin(10, TimeUnit.SECONDS);

            assertThat(Files.readAllBytes(file)).isEqualTo(before);
            assertThat(dir.resolve(LeaseJournal.COMPACT_NAME)).as("its half-written copy, space given back")
                    .doesNotExist();
            assertThat(logs.at(Level.ERROR)).singleElement().satisfies(m -> assertThat(m)
                    .contains("lease journal compaction failed, the old journal stays in use"));
            assertThat(journal.failedCompactions()).isEqualTo(2);
            assertThat(journal.writable()).as("appends are not what failed").isTrue();
            append(journal, active(3)).get();

            failing.set(false);
            journal.replace(() -> List.of(active(3))).get();
            assertThat(logs.at(Level.INFO)).anySatisfy(m -> assertThat(m).contains("compaction works again"));
        }

        try (LeaseJournal journal = new LeaseJournal(dir)) {
            assertThat(journal.load()).containsExactly(active(3));
        }
    }

    @Test
    void aCompactionFailingDuringAnAppendOutageLogsNoSecondError() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        try (LogCapture logs = new LogCapture();
             LeaseJournal journal = new LeaseJournal(dir, FailingFileChannel.opener(failing))) {
            journal.load();
            append(journal, active(1)).get();

            failing.set(true);
            assertThat(append(journal, active(2))).failsWithin(10, TimeUnit.SECONDS);
            assertThat(journal.replace(() -> List.of(active(1)))).failsWithin(10, TimeUnit.SECONDS);

            assertThat(logs.at(Level.ERROR)).singleElement().satisfies(m -> assertThat(m)
                    .contains("lease journal write failed"));
            assertThat(journal.failedCompactions()).isEqualTo(1);
            failing.set(false);
        }
    }

    private static CompletableFuture<Void> append(LeaseJournal journal, Lease lease) {
        return journal.write(lease, () -> { });
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String line(Lease lease) {
        return new String(format.encode(lease), StandardCharsets.UTF_8);
    }

    private void write(String... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : parts) {
            out.writeBytes(part.getBytes(StandardCharsets.UTF_8));
        }
        Files.write(dir.resolve("leases.journal"), out.toByteArray());
    }
}
