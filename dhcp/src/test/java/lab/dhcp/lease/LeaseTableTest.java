package lab.dhcp.lease;

import static lab.dhcp.lease.TestLeases.T0;
import static lab.dhcp.lease.TestLeases.active;
import static lab.dhcp.lease.TestLeases.ip;
import static lab.dhcp.lease.TestLeases.mac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseTableTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0.plusSeconds(60));
    private final List<LeaseTable> opened = new ArrayList<>();

    @AfterEach
    void closeTables() throws IOException {
        for (LeaseTable table : opened) {
            table.close();
        }
    }

    @Test
    void reopenedTableHoldsWhatWasCommitted() throws Exception {
        LeaseTable table = open();
        table.commit(active(1)).get();
        table.commit(active(2)).get();
        table.commit(active(3).withState(LeaseState.RELEASED, T0, T0)).get();
        Collection<Lease> before = table.all();
        table.close();

        LeaseTable reopened = open();

        assertThat(reopened.all()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(reopened.byMac(mac(3))).map(Lease::state).contains(LeaseState.RELEASED);
        assertThat(reopened.activeByIp(ip(1))).contains(active(1));
    }

    @Test
    void laterCommitForTheSameAddressWins() throws Exception {
        LeaseTable table = open();
        Lease renewed = active(1, 1, Duration.ofHours(8));
        table.commit(active(1)).get();
        table.commit(renewed).get();
        table.close();

        LeaseTable reopened = open();

        assertThat(reopened.size()).isEqualTo(1);
        assertThat(reopened.byIp(ip(1))).contains(renewed);
    }

    @Test
    void leasesThatRanOutWhileDownComeBackExpired() throws Exception {
        LeaseTable table = open();
        table.commit(active(1, 1, Duration.ofMinutes(30))).get();
        table.commit(active(2, 2, Duration.ofHours(3))).get();
        table.commit(new Lease(ip(3), mac(3), "", "", "", T0, T0.plus(Duration.ofMinutes(10)), LeaseState.DECLINED)).get();
        table.close();
        clock.advance(Duration.ofHours(1));

        LeaseTable reopened = open();

        assertThat(reopened.activeByIp(ip(1))).isEmpty();
        assertThat(reopened.byIp(ip(1))).map(Lease::state).contains(LeaseState.EXPIRED);
        assertThat(reopened.byMac(mac(1))).map(Lease::ip).contains(ip(1));
        assertThat(reopened.byIp(ip(3))).map(Lease::state).contains(LeaseState.EXPIRED);
        assertThat(reopened.activeByIp(ip(2))).contains(active(2, 2, Duration.ofHours(3)));
    }

    @Test
    void addressTakenByAnotherMacLeavesTheOldMacWithoutRecord() throws Exception {
        LeaseTable table = open();
        table.commit(active(1, 1, Duration.ofHours(1)).withState(LeaseState.EXPIRED, T0, T0)).get();
        table.commit(active(1, 2, Duration.ofHours(1))).get();

        assertThat(table.byMac(mac(1))).isEmpty();
        assertThat(table.byMac(mac(2))).map(Lease::ip).contains(ip(1));
    }

    @Test
    void macMovingToAnotherAddressMapsToItsLatestRecord() throws Exception {
        LeaseTable table = open();
        table.commit(active(1, 7, Duration.ofHours(1))).get();
        table.commit(active(2, 7, Duration.ofHours(1))).get();

        assertThat(table.byMac(mac(7))).map(Lease::ip).contains(ip(2));
        assertThat(table.byIp(ip(1))).map(Lease::mac).contains(mac(7));
    }

    @Test
    void listenersSeeEachChangeInOrderOnceItIsInTheFile() throws Exception {
        LeaseTable table = open();
        Path file = dir.resolve(LeaseJournal.JOURNAL_NAME);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch told = new CountDownLatch(3);
        table.addListener((before, after) -> {
            String journal = read(file);
            seen.add(before.map(l -> l.state().name()).orElse("none") + "->" + after.state()
                    + (journal.contains("\"expires\":\"" + after.expires() + "\"") ? " durable" : " NOT durable"));
            told.countDown();
        });

        table.commit(active(1)).get();
        table.commit(active(1, 1, Duration.ofHours(2))).get();
        table.commit(active(1).withState(LeaseState.RELEASED, T0.plusSeconds(90), T0.plusSeconds(90))).get();

        await(told);
        assertThat(seen).containsExactly("none->ACTIVE durable", "ACTIVE->ACTIVE durable",
                "ACTIVE->RELEASED durable");
    }

    @Test
    void blockedListenerDelaysNoCommitAndHearsEveryChangeInOrderOnItsOwnThread() throws Exception {
        LeaseTable table = open();
        CountDownLatch release = new CountDownLatch(1);
        List<Lease> told = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        table.addListener((before, after) -> {
            threads.add(Thread.currentThread().getName());
            await(release);
            told.add(after);
        });

        // The listener is stuck in the first change, yet every commit completes: it is not on the store's thread.
        for (int n = 1; n <= 3; n++) {
            assertThat(table.commit(active(n)).get(30, TimeUnit.SECONDS)).isEqualTo(active(n));
        }
        assertThat(table.byIp(ip(3))).contains(active(3));

        release.countDown();
        table.close();
        assertThat(told).containsExactly(active(1), active(2), active(3));
        assertThat(threads).containsOnly(LeaseListeners.THREAD_NAME);
    }

    @Test
    void listenerAddedAfterACommitNeverHearsIt() throws Exception {
        LeaseTable table = open();
        CountDownLatch release = new CountDownLatch(1);
        table.addListener((before, after) -> await(release));
        table.commit(active(1)).get(30, TimeUnit.SECONDS);
        // Change 2 is still waiting behind the blocked listener when the late one is added.
        table.commit(active(2)).get(30, TimeUnit.SECONDS);
        List<Lease> late = Collections.synchronizedList(new ArrayList<>());
        table.addListener((before, after) -> late.add(after));

        release.countDown();
        table.commit(active(3)).get(30, TimeUnit.SECONDS);
        table.close();

        assertThat(late).containsExactly(active(3));
    }

    @Test
    void closeWaitsUntilListenersHeardEveryCommittedChange() throws Exception {
        LeaseTable table = open();
        CountDownLatch release = new CountDownLatch(1);
        List<Lease> told = Collections.synchronizedList(new ArrayList<>());
        table.addListener((before, after) -> {
            await(release);
            told.add(after);
        });
        for (int n = 1; n <= 3; n++) {
            table.commit(active(n)).get(30, TimeUnit.SECONDS);
        }

        CompletableFuture<Void> closed = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            try {
                table.close();
                closed.complete(null);
            } catch (IOException | RuntimeException e) {
                closed.completeExceptionally(e);
            }
        }, "table-closer");
        closer.start();
        // close() waits for the listener thread with a timeout (TIMED_WAITING); let the listener go only once it does,
        // so the three changes are still queued when close() starts waiting. Ending instead is the bug looked for.
        awaitState(closer, Thread.State.TIMED_WAITING, Thread.State.TERMINATED);
        release.countDown();
        closed.get(30, TimeUnit.SECONDS);

        assertThat(told).containsExactly(active(1), active(2), active(3));
    }

    @Test
    void throwingListenerIsLoggedAndBreaksNothing() throws Exception {
        LeaseTable table = open();
        List<Lease> told = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch secondTold = new CountDownLatch(1);
        table.addListener((before, after) -> {
            throw new IllegalStateException("listener bug");
        });
        table.addListener((before, after) -> {
            told.add(after);
            secondTold.countDown();
        });

        try (LogCapture logs = new LogCapture()) {
            assertThat(table.commit(active(1)).get()).isEqualTo(active(1));
            // Listeners run one after the other on one thread: once the second has run, the first has thrown.
            await(secondTold);
            assertThat(logs.at(Level.WARN)).singleElement().asString().contains("lease listener failed");
        }
        assertThat(told).containsExactly(active(1));
        assertThat(table.byIp(ip(1))).contains(active(1));
    }

    @Test
    void failedWriteLeavesMemoryUnchangedAndLaterCommitsWork() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        LeaseTable table = open(new LeaseJournal(dir, FailingFileChannel.opener(failing)));
        List<Lease> told = Collections.synchronizedList(new ArrayList<>());
        table.addListener((before, after) -> told.add(after));
        table.commit(active(1)).get();

        failing.set(true);
        CompletableFuture<Lease> failed = table.commit(active(1, 1, Duration.ofHours(9)));
        assertThatThrownBy(failed::join).hasCauseInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve(LeaseJournal.JOURNAL_NAME).toString());
        assertThat(table.byIp(ip(1))).contains(active(1));

        failing.set(false);
        table.commit(active(2)).get();
        table.close();

        // close() has told the listeners everything: the failed write was never among it.
        assertThat(told).containsExactly(active(1), active(2));
        assertThat(open().all()).containsExactlyInAnyOrder(active(1), active(2));
    }

    @Test
    void busyStoreFailsTheCommitAtOnceWithItsOwnExceptionAndMemoryUnchanged() throws Exception {
        ForceGate gate = new ForceGate();
        LeaseTable table = open(new LeaseJournal(dir, gate.opener(), JournalTimings.NONE, 1));
        gate.hold();
        CompletableFuture<Lease> forcing = table.commit(active(1));
        gate.awaitWriterInside();
        CompletableFuture<Lease> waiting = table.commit(active(2));

        CompletableFuture<Lease> refused = table.commit(active(3));

        assertThat(refused).isCompletedExceptionally();
        // What a caller's handle() sees: the store's exception itself, so the engine can tell busy from broken.
        assertThat(refused.handle((lease, failure) -> failure).join()).isInstanceOf(LeaseStoreBusyException.class);
        gate.release();
        assertThat(forcing.get(30, TimeUnit.SECONDS)).isEqualTo(active(1));
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(active(2));
        assertThat(table.byIp(ip(3))).isEmpty();
    }

    @Test
    void reclaimingExpiresEndedLeasesAndQuarantinesAndJournalsThem() throws Exception {
        LeaseTable table = open();
        Lease declined = new Lease(ip(3), mac(3), "", "", "", T0, T0.plus(Duration.ofMinutes(20)), LeaseState.DECLINED);
        table.commit(active(1, 1, Duration.ofMinutes(10))).get();
        table.commit(active(2, 2, Duration.ofHours(2))).get();
        table.commit(declined).get();
        table.commit(active(4).withState(LeaseState.RELEASED, T0, T0)).get();
        List<Lease> told = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch bothTold = new CountDownLatch(2);
        table.addListener((before, after) -> {
            told.add(after);
            bothTold.countDown();
        });
        clock.advance(Duration.ofMinutes(30));

        assertThat(table.reclaimExpired().get()).isEqualTo(2);

        await(bothTold);
        assertThat(told).extracting(Lease::ip).containsExactlyInAnyOrder(ip(1), ip(3));
        assertThat(table.byIp(ip(1))).map(Lease::state).contains(LeaseState.EXPIRED);
        assertThat(table.byIp(ip(3))).map(Lease::state).contains(LeaseState.EXPIRED);
        assertThat(table.byIp(ip(2))).map(Lease::state).contains(LeaseState.ACTIVE);
        assertThat(table.reclaimExpired().get()).isZero();
        assertThat(read(dir.resolve(LeaseJournal.JOURNAL_NAME)).lines()
                .filter(line -> line.contains("\"state\":\"EXPIRED\""))).hasSize(2);
    }

    @Test
    void compactionWritesTheTableAndLaterCommitsSurviveReopen() throws Exception {
        LeaseTable table = open();
        for (int hours = 1; hours <= 20; hours++) {
            table.commit(active(1, 1, Duration.ofHours(hours))).get();
        }
        table.commit(active(2).withState(LeaseState.RELEASED, T0, T0)).get();
        Path file = dir.resolve(LeaseJournal.JOURNAL_NAME);

        table.compact();

        List<String> lines = read(file).lines().toList();
        assertThat(lines).hasSize(1 + table.size());
        JournalFormat format = new JournalFormat();
        List<Lease> onDisk = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            onDisk.add(format.decode(bytes, 0, bytes.length));
        }
        assertThat(onDisk).containsExactlyInAnyOrderElementsOf(table.all());

        table.commit(active(3)).get();
        Collection<Lease> expected = table.all();
        table.close();
        assertThat(open().all()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void compactionOrderedWithConcurrentCommitsLosesNothing() throws Exception {
        LeaseTable table = open();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Lease>> futures = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                futures.add(CompletableFuture.supplyAsync(() -> table.commit(active(n % 700)), pool)
                        .thenCompose(f -> f));
                if (i % 100 == 50) {
                    table.compact();
                }
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }
        table.close();

        assertThat(open().size()).isEqualTo(400);
    }

    @Test
    void concurrentCommitsFromManyThreadsAreAllDurable() throws Exception {
        LeaseTable table = open();
        int threads = 16;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<CompletableFuture<Lease>> futures = Collections.synchronizedList(new ArrayList<>());
        try {
            List<CompletableFuture<Void>> submitters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                submitters.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < perThread; i++) {
                        futures.add(table.commit(active(base + i)));
                    }
                }, pool));
            }
            CompletableFuture.allOf(submitters.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(futures).hasSize(threads * perThread).allMatch(f -> !f.isCompletedExceptionally());
        assertThat(table.size()).isEqualTo(threads * perThread);
        table.close();

        LeaseTable reopened = open();
        assertThat(reopened.size()).isEqualTo(threads * perThread);
        for (int n = 0; n < threads * perThread; n++) {
            assertThat(reopened.byMac(mac(n))).contains(active(n));
        }
    }

    @Test
    void commitAfterCloseFailsAtOnce() throws Exception {
        LeaseTable table = open();
        table.close();

        CompletableFuture<Lease> late = table.commit(active(1));

        assertThat(late).isCompletedExceptionally();
        assertThat(table.byIp(ip(1))).isEmpty();
    }

    @Test
    void viewReturnsNothingForUnknownKeys() throws Exception {
        LeaseTable table = open();

        assertThat(table.byIp(ip(9))).isEmpty();
        assertThat(table.byMac(mac(9))).isEmpty();
        assertThat(table.activeByIp(ip(9))).isEqualTo(Optional.empty());
    }

    private LeaseTable open() throws IOException {
        return open(new LeaseJournal(dir));
    }

    private LeaseTable open(LeaseJournal journal) throws IOException {
        LeaseTable table = new LeaseTable(journal, clock);
        opened.add(table);
        table.open();
        return table;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("listeners not told within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for listeners", e);
        }
    }

    private static void awaitState(Thread thread, Thread.State... states) throws InterruptedException {
        List<Thread.State> wanted = List.of(states);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!wanted.contains(thread.getState())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(thread.getName() + " still " + thread.getState() + ", expected " + wanted);
            }
            Thread.sleep(1);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
