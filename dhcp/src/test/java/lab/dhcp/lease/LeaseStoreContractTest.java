package lab.dhcp.lease;

import static lab.dhcp.lease.TestLeases.T0;
import static lab.dhcp.lease.TestLeases.active;
import static lab.dhcp.lease.TestLeases.ip;
import static lab.dhcp.lease.TestLeases.mac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link LeaseStore} must do, after Kea's generic lease manager tests: each store's test extends this and
 * says how to make, reopen and break one. Records are compared per IP, latest wins, since a store may load only the
 * latest record of each IP; times are kept to the millisecond, which any SQL timestamp holds.
 */
public abstract class LeaseStoreContractTest {

    private static final long WAIT_SECONDS = 30;
    /** Start and expiry with milliseconds, so a store that drops them fails. */
    private static final Instant START = T0.plusMillis(123);
    private static final Instant EXPIRES = START.plus(Duration.ofHours(1)).plusMillis(456);

    @TempDir
    Path dir;

    private final List<LeaseStore> stores = new ArrayList<>();

    /** A new, empty store kept under {@code dir}; not loaded yet. */
    protected abstract LeaseStore freshStore(Path dir);

    /** A new store over what the closed stores under {@code dir} wrote; not loaded yet. */
    protected abstract LeaseStore reopenedStore(Path dir);

    /** Like {@link #freshStore}, but while {@code failing} is set nothing it writes becomes durable (a full disk). */
    protected abstract LeaseStore freshStoreFailingWhile(Path dir, AtomicBoolean failing);

    /** What the store's IOExceptions name: its file, its database. */
    protected abstract String nameInErrors(Path dir);

    @AfterEach
    void closeStores() throws IOException {
        for (LeaseStore store : stores) {
            store.close();
        }
    }

    @Test
    void emptyStoreLoadsNothing() throws Exception {
        LeaseStore store = loadedFreshStore();
        store.close();

        assertThat(reopenAndLoad()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(LeaseState.class)
    void recordKeepsEveryFieldAcrossReopen(LeaseState state) throws Exception {
        Lease full = new Lease(ip(23), mac(0x17), "01020000000017", "vm-17 \"quoted\" é", "waf", START, EXPIRES, state);
        Lease bare = new Lease(ip(24), mac(0x18), "", "", "", START, START, state);
        LeaseStore store = loadedFreshStore();
        written(write(store, full));
        written(write(store, bare));
        store.close();

        assertThat(reopenAndLoad()).containsOnly(entry(full.ip(), full), entry(bare.ip(), bare));
    }

    @Test
    void laterRecordForTheSameIpWinsAfterReopen() throws Exception {
        Lease released = active(1).withState(LeaseState.RELEASED, T0.plusSeconds(90), T0.plusSeconds(90));
        LeaseStore store = loadedFreshStore();
        written(write(store, active(1)));
        written(write(store, active(1, 1, Duration.ofHours(8))));
        written(write(store, released));
        store.close();

        assertThat(reopenAndLoad()).containsOnly(entry(ip(1), released));
    }

    @Test
    void macMovingToAnotherIpLeavesARecordForEachIp() throws Exception {
        Lease first = active(1, 7, Duration.ofHours(1)).withState(LeaseState.RELEASED, T0, T0);
        Lease moved = active(2, 7, Duration.ofHours(1));
        Lease taken = active(1, 8, Duration.ofHours(2));
        LeaseStore store = loadedFreshStore();
        written(write(store, first));
        written(write(store, moved));
        store.close();

        assertThat(reopenAndLoad()).containsOnly(entry(ip(1), first), entry(ip(2), moved));

        LeaseStore reopened = loadedReopenedStore();
        written(write(reopened, taken));
        reopened.close();

        assertThat(reopenAndLoad()).containsOnly(entry(ip(1), taken), entry(ip(2), moved));
    }

    @Test
    void onDurableRunsInWriteOrderBeforeTheFutureCompletes() throws Exception {
        LeaseStore store = loadedFreshStore();
        List<Integer> applied = Collections.synchronizedList(new ArrayList<>());
        List<Integer> completedBeforeApplied = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            writes.add(store.write(active(n), () -> applied.add(n)).thenRun(() -> {
                if (!applied.contains(n)) {
                    completedBeforeApplied.add(n);
                }
            }));
        }

        written(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));

        assertThat(applied).containsExactlyElementsOf(IntStream.range(0, 200).boxed().toList());
        assertThat(completedBeforeApplied).isEmpty();
    }

    @Test
    void batchIsDurableAndLoadedAfterReopen() throws Exception {
        List<Lease> batch = IntStream.range(0, 50).mapToObj(TestLeases::active).toList();
        List<Lease> told = Collections.synchronizedList(new ArrayList<>());
        LeaseStore store = loadedFreshStore();

        List<Lease> result = written(store.writeBatch(() -> batch, told::addAll));
        store.close();

        assertThat(result).containsExactlyElementsOf(batch);
        assertThat(told).containsExactlyElementsOf(batch);
        Map<Inet4Address, Lease> loaded = reopenAndLoad();
        assertThat(loaded.values()).containsExactlyInAnyOrderElementsOf(batch);
    }

    @Test
    void emptyBatchWritesNothingAndCompletes() throws Exception {
        LeaseStore store = loadedFreshStore();
        written(write(store, active(1)));

        assertThat(written(store.writeBatch(List::of, records -> { }))).isEmpty();
        store.close();

        assertThat(reopenAndLoad()).containsOnly(entry(ip(1), active(1)));
    }

    @Test
    void batchIsTakenAfterEveryEarlierWriteIsAppliedAndBeforeAnyLaterOne() throws Exception {
        LeaseStore store = loadedFreshStore();
        List<Lease> applied = Collections.synchronizedList(new ArrayList<>());
        Held held = hold(store);
        List<CompletableFuture<?>> writes = new ArrayList<>(List.of(held.batch()));
        for (int i = 0; i < 50; i++) {
            Lease lease = active(i);
            writes.add(store.write(lease, () -> applied.add(lease)));
        }
        AtomicInteger appliedWhenTaken = new AtomicInteger(-1);
        List<Lease> batch = List.of(active(100), active(101));
        writes.add(store.writeBatch(() -> {
            appliedWhenTaken.set(applied.size());
            return batch;
        }, applied::addAll));
        for (int i = 50; i < 100; i++) {
            Lease lease = active(i);
            writes.add(store.write(lease, () -> applied.add(lease)));
        }

        held.release();
        written(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));

        assertThat(appliedWhenTaken).hasValue(50);
        assertThat(applied).hasSize(102);
        assertThat(applied.subList(50, 52)).containsExactlyElementsOf(batch);
    }

    @Test
    void concurrentWritesFromSeveralThreadsAreAllDurableAndLoaded() throws Exception {
        int threads = 8;
        int perThread = 90;
        LeaseStore store = loadedFreshStore();
        List<CompletableFuture<Void>> writes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        writes.add(write(store, active(base + i)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }

        written(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
        store.close();

        Map<Inet4Address, Lease> loaded = reopenAndLoad();
        assertThat(loaded).hasSize(threads * perThread);
        for (int n = 0; n < threads * perThread; n++) {
            assertThat(loaded).containsEntry(ip(n), active(n));
        }
    }

    @Test
    void writesAfterCloseFailAtOnceAndChangeNothing() throws Exception {
        LeaseStore store = loadedFreshStore();
        written(write(store, active(1)));
        store.close();
        AtomicBoolean touched = new AtomicBoolean();

        CompletableFuture<Void> late = store.write(active(2), () -> touched.set(true));
        CompletableFuture<List<Lease>> lateBatch = store.writeBatch(() -> {
            touched.set(true);
            return List.of(active(3));
        }, records -> touched.set(true));
        CompletableFuture<Void> lateReplace = store.replace(() -> {
            touched.set(true);
            return List.of();
        });

        assertThat(List.of(late, lateBatch, lateReplace)).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(failure(late)).hasMessageContaining(nameInErrors(dir));
        assertThat(failure(lateBatch)).hasMessageContaining(nameInErrors(dir));
        assertThat(failure(lateReplace)).hasMessageContaining(nameInErrors(dir));
        assertThat(touched).isFalse();
        assertThat(reopenAndLoad()).containsOnly(entry(ip(1), active(1)));
    }

    @Test
    void closeDrainsQueuedWrites() throws Exception {
        LeaseStore store = loadedFreshStore();
        Held held = hold(store);
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            queued.add(write(store, active(i)));
        }

        CompletableFuture<Void> closing = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            try {
                store.close();
                closing.complete(null);
            } catch (IOException | RuntimeException e) {
                closing.completeExceptionally(e);
            }
        }, "contract-test-closer");
        closer.start();
        // The store is held, so the 100 are still queued when close() begins; a refused probe shows it has begun.
        Lease probe = active(700);
        List<CompletableFuture<Void>> probesAccepted = probeUntilRefused(store, probe);
        held.release();
        written(closing);

        assertThat(held.batch()).isCompleted();
        assertThat(queued).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(probesAccepted).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        Map<Inet4Address, Lease> expected = new LinkedHashMap<>();
        IntStream.range(0, 100).forEach(n -> expected.put(ip(n), active(n)));
        if (!probesAccepted.isEmpty()) {
            expected.put(probe.ip(), probe);
        }
        assertThat(reopenAndLoad()).isEqualTo(expected);
    }

    @Test
    void failedWriteFailsItsFutureAndIsNeverLoaded() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        LeaseStore store = track(freshStoreFailingWhile(dir, failing));
        assertThat(store.load()).isEmpty();
        written(write(store, active(1)));
        AtomicBoolean applied = new AtomicBoolean();

        failing.set(true);
        CompletableFuture<Void> renewal = store.write(active(1, 1, Duration.ofHours(9)), () -> applied.set(true));
        CompletableFuture<Void> other = store.write(active(2), () -> applied.set(true));
        CompletableFuture<List<Lease>> batch = store.writeBatch(() -> List.of(active(3)), records -> applied.set(true));

        assertThat(failure(renewal)).hasMessageContaining(nameInErrors(dir));
        assertThat(failure(other)).hasMessageContaining(nameInErrors(dir));
        assertThat(failure(batch)).hasMessageContaining(nameInErrors(dir));
        assertThat(applied).isFalse();
        // Closed with nothing written since: whatever the failed writes left behind must not count.
        failing.set(false);
        store.close();

        assertThat(reopenAndLoad()).containsOnly(entry(ip(1), active(1)));
    }

    @Test
    void writesAfterAFailureLandOnceTheStoreRecovers() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        LeaseStore store = track(freshStoreFailingWhile(dir, failing));
        assertThat(store.load()).isEmpty();
        written(write(store, active(1)));
        failing.set(true);
        failure(write(store, active(2)));

        failing.set(false);
        written(write(store, active(3)));
        written(store.writeBatch(() -> List.of(active(4)), records -> { }));
        store.close();

        assertThat(reopenAndLoad()).containsOnly(entry(ip(1), active(1)), entry(ip(3), active(3)),
                entry(ip(4), active(4)));
    }

    @Test
    void snapshotTakenInStoreOrderKeepsExactlyTheLiveSetAndLaterWritesLand() throws Exception {
        LeaseStore store = loadedFreshStore();
        Map<Inet4Address, Lease> live = new ConcurrentHashMap<>();
        Held held = hold(store);
        List<CompletableFuture<?>> writes = new ArrayList<>(List.of(held.batch()));
        for (int hours = 1; hours <= 3; hours++) {
            for (int n = 0; n < 100; n++) {
                writes.add(writeInto(store, live, active(n, n, Duration.ofHours(hours))));
            }
        }
        // Queued behind the held batch with the writes: the snapshot must still see every one queued before it.
        writes.add(store.replace(() -> List.copyOf(live.values())));
        for (int n = 100; n < 120; n++) {
            writes.add(writeInto(store, live, active(n)));
        }

        held.release();
        written(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
        store.close();

        assertThat(live).hasSize(120);
        assertThat(reopenAndLoad()).isEqualTo(live);
    }

    @Test
    void reopenAfterReplaceLoadsTheSnapshotAndTakesLaterWrites() throws Exception {
        LeaseStore store = loadedFreshStore();
        Map<Inet4Address, Lease> live = new ConcurrentHashMap<>();
        for (int hours = 1; hours <= 5; hours++) {
            written(writeInto(store, live, active(1, 1, Duration.ofHours(hours))));
        }
        written(writeInto(store, live, active(2).withState(LeaseState.DECLINED, T0, T0.plusSeconds(600))));
        written(store.replace(() -> List.copyOf(live.values())));
        store.close();

        assertThat(reopenAndLoad()).isEqualTo(live);

        LeaseStore reopened = loadedReopenedStore();
        written(writeInto(reopened, live, active(3)));
        reopened.close();

        assertThat(reopenAndLoad()).isEqualTo(live).hasSize(3);
    }

    private LeaseStore track(LeaseStore store) {
        stores.add(store);
        return store;
    }

    private LeaseStore loadedFreshStore() throws IOException {
        LeaseStore store = track(freshStore(dir));
        assertThat(store.load()).isEmpty();
        return store;
    }

    private LeaseStore loadedReopenedStore() throws IOException {
        LeaseStore store = track(reopenedStore(dir));
        store.load();
        return store;
    }

    /** Reopens the store, loads it, closes it; the latest record of each IP, as {@link LeaseTable} would keep. */
    private Map<Inet4Address, Lease> reopenAndLoad() throws IOException {
        try (LeaseStore store = reopenedStore(dir)) {
            Map<Inet4Address, Lease> latest = new LinkedHashMap<>();
            for (Lease lease : store.load()) {
                latest.put(lease.ip(), lease);
            }
            return latest;
        }
    }

    private static CompletableFuture<Void> write(LeaseStore store, Lease lease) {
        return store.write(lease, () -> { });
    }

    /** Writes {@code lease} and, once durable, puts it in {@code live}, as the lease table keeps its memory. */
    private static CompletableFuture<Void> writeInto(LeaseStore store, Map<Inet4Address, Lease> live, Lease lease) {
        return store.write(lease, () -> live.put(lease.ip(), lease));
    }

    private static <T> T written(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The IOException {@code future} failed with. */
    private static IOException failure(CompletableFuture<?> future) {
        Throwable thrown = catchThrowable(() -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class).cause().isInstanceOf(IOException.class);
        return (IOException) thrown.getCause();
    }

    /**
     * Writes {@code probe} until the store refuses it at once for being closed, which it must from the moment
     * {@code close()} began; returns the probes it accepted before (they are queued and must be drained too).
     */
    private static List<CompletableFuture<Void>> probeUntilRefused(LeaseStore store, Lease probe)
            throws InterruptedException {
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            CompletableFuture<Void> attempt = write(store, probe);
            if (!attempt.isCompletedExceptionally()) {
                accepted.add(attempt);
            } else if (!(failure(attempt) instanceof LeaseStoreBusyException)) {
                return accepted;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the store still takes writes " + WAIT_SECONDS + " s after close() began");
    }

    /** An empty batch that keeps the store busy computing it until released, so what is written next waits. */
    private record Held(CompletableFuture<List<Lease>> batch, CountDownLatch released) {
        void release() {
            released.countDown();
        }
    }

    /**
     * Holds the store in store order: its next batch blocks in its supplier, which every store must call before it
     * writes anything queued later. Returns once the store is inside it.
     */
    private static Held hold(LeaseStore store) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        CompletableFuture<List<Lease>> batch = store.writeBatch(() -> {
            inside.countDown();
            try {
                if (!released.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("held store never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while holding the store", e);
            }
            return List.of();
        }, records -> { });
        assertThat(inside.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("store reached the held batch").isTrue();
        return new Held(batch, released);
    }
}
