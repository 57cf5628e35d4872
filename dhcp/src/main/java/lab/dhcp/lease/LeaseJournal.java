package lab.dhcp.lease;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link LeaseStore}: an append-only journal in the state directory, forced to disk with group commit on
 * a dedicated thread.
 *
 * <p>Files: {@value #JOURNAL_NAME} is the journal (format in {@link JournalFormat}: JSON lines after a header);
 * {@value #COMPACT_NAME} is a compaction in progress, renamed over the journal once forced, so a leftover one is an
 * unfinished compaction and {@link #load()} deletes it (the journal beside it is intact). Both are created with mode
 * 0600, and a state directory the journal has to create with mode 0700.
 *
 * <p>Threading, and so store order: every write, force and compaction runs on one daemon thread named
 * {@value #THREAD_NAME}, fed by one queue of at most {@value #QUEUE_CAPACITY} writes. It takes everything queued,
 * writes the single records among it with one force (group commit), then runs each one's {@code onDurable} and
 * completes its future, in queue order. Batches and replacements run there too, after every record queued before
 * them is durable and its {@code onDurable} has run; their suppliers are called there, so they see memory exactly as
 * the durable records left it.
 *
 * <p>A write that fails (a full or read-only disk) fails its callers' futures and is reported here, once per outage
 * ({@link JournalWriter}); the next write tries again, so commits resume by themselves once the disk is back.
 */
public final class LeaseJournal implements LeaseStore, LeaseStoreHealth {

    /** The journal's file name in the state directory. */
    public static final String JOURNAL_NAME = "leases.journal";
    /** The file a compaction writes before renaming it over the journal. */
    public static final String COMPACT_NAME = "leases.journal.compact";
    static final String THREAD_NAME = "lease-journal";
    /** Upper bound of tasks taken per round, so one force never waits for an unbounded write. */
    private static final int MAX_BATCH = 4096;
    /**
     * Writes (records, batches, compactions) that may wait for the writer thread; one more fails at once with
     * {@link LeaseStoreBusyException}. At the ~12k leases/s measured at saturation (BENCHMARKS.md) this is about
     * 1.4 s of work, so a REQUEST that gets in is still answered within the 3 to 5 s a client waits before it
     * retransmits (RFC 2131 §4.1); one that does not is better dropped at once than ACKed after the client has sent
     * it again. It also caps the memory a flood can pin (a line is ~200 bytes).
     */
    static final int QUEUE_CAPACITY = 16_384;

    private static final Logger log = LoggerFactory.getLogger(LeaseJournal.class);
    /** A state directory the journal creates is its user's only; an existing one keeps the mode it was given. */
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path stateDir;
    private final Path file;
    private final Path compactFile;
    private final JournalFormat format = new JournalFormat();
    private final JournalWriter writer;
    private final StoreWriterThread<byte[]> thread;
    private final Object lifecycle = new Object();
    private boolean opened;
    private volatile IOException closeFailure;
    private boolean closed;

    /** @param stateDir the directory holding {@code leases.journal} and its compaction temp file */
    public LeaseJournal(Path stateDir) {
        this(stateDir, JournalTimings.NONE);
    }

    /**
     * @param stateDir the directory holding {@code leases.journal} and its compaction temp file
     * @param timings  hears the duration of every durable append (write plus force)
     */
    public LeaseJournal(Path stateDir, JournalTimings timings) {
        this(stateDir, ChannelOpener.OWNER_ONLY, timings);
    }

    LeaseJournal(Path stateDir, ChannelOpener opener) {
        this(stateDir, opener, JournalTimings.NONE);
    }

    LeaseJournal(Path stateDir, ChannelOpener opener, JournalTimings timings) {
        this(stateDir, opener, timings, QUEUE_CAPACITY);
    }

    LeaseJournal(Path stateDir, ChannelOpener opener, JournalTimings timings, int capacity) {
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        this.file = stateDir.resolve(JOURNAL_NAME);
        this.compactFile = stateDir.resolve(COMPACT_NAME);
        this.writer = new JournalWriter(file, compactFile, format, Objects.requireNonNull(opener, "opener"),
                Objects.requireNonNull(timings, "timings"));
        this.thread = new StoreWriterThread<>(THREAD_NAME, toString(), capacity, writer::appendDurably,
                this::closeWriter);
    }

    /** The journal file. */
    public Path path() {
        return file;
    }

    /**
     * Opens the journal and replays every record in file order (later lines win); skips damaged lines with a WARN
     * naming file and line. Deletes a leftover compaction file, creates a missing journal, cuts off a torn last
     * line, then starts the writer thread. Throws, naming the file, if the journal cannot be used.
     */
    @Override
    public List<Lease> load() throws IOException {
        synchronized (lifecycle) {
            if (opened) {
                throw new IllegalStateException("lease journal " + file + " was already opened");
            }
            opened = true;
            Files.createDirectories(stateDir, OWNER_ONLY_DIRECTORY);
            if (Files.deleteIfExists(compactFile)) {
                log.info("unfinished lease journal compaction discarded file={}", compactFile);
            }
            JournalReplay.Result result;
            if (Files.notExists(file)) {
                result = new JournalReplay.Result(List.of(), 0, 0, 0, false);
            } else {
                result = new JournalReplay(file, format).read();
            }
            if (result.hasHeader()) {
                writer.open(result.validLength(), result.lines() - result.skipped());
            } else {
                writer.create();
            }
            thread.start();
            log.info("lease journal opened file={} records={} skipped={}", file, result.records().size(),
                    result.skipped());
            return result.records();
        }
    }

    /**
     * Appends one record, forced with whatever else is queued (group commit); see {@link LeaseStore#write}. A failed
     * write or force fails the future with an IOException naming the file.
     */
    @Override
    public CompletableFuture<Void> write(Lease record, Runnable onDurable) {
        Objects.requireNonNull(onDurable, "onDurable");
        return thread.put(format.encode(record), onDurable);
    }

    /** Appends the batch's records under one force, all or none; see {@link LeaseStore#writeBatch}. */
    @Override
    public CompletableFuture<List<Lease>> writeBatch(Supplier<List<Lease>> batch, Consumer<List<Lease>> onDurable) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(onDurable, "onDurable");
        return thread.submit(() -> {
            List<Lease> records = List.copyOf(batch.get());
            if (!records.isEmpty()) {
                writer.appendRecords(records);
                onDurable.accept(records);
            }
            return records;
        });
    }

    /**
     * Rewrites the journal as {@code snapshot}: written to {@value #COMPACT_NAME}, forced, renamed over the journal,
     * directory forced; appends continue in the new file. See {@link LeaseStore#replace}.
     */
    @Override
    public CompletableFuture<Void> replace(Supplier<Collection<Lease>> snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        return thread.submit(() -> {
            writer.rewrite(List.copyOf(snapshot.get()));
            return null;
        });
    }

    /** Writes refused with {@link LeaseStoreBusyException} since this journal was made, for metrics. */
    public long busyRejections() {
        return thread.busyRejections();
    }

    @Override
    public boolean writable() {
        return writer.writable();
    }

    @Override
    public long failedWrites() {
        return writer.failedWrites();
    }

    @Override
    public long failedCompactions() {
        return writer.failedCompactions();
    }

    /** Forces taken so far; group commit makes this smaller than the records appended. */
    long forceCount() {
        return writer.forceCount();
    }

    /** Drains pending appends, forces and closes; later appends fail at once. */
    @Override
    public void close() throws IOException {
        synchronized (lifecycle) {
            boolean wasOpen = opened && !closed;
            // Closed before it was loaded: a later load() must fail rather than open the file.
            opened = true;
            if (!wasOpen) {
                closed = true;
                return;
            }
            closed = true;
        }
        thread.close();
        if (closeFailure != null) {
            throw closeFailure;
        }
        log.info("lease journal closed file={}", file);
    }

    @Override
    public String toString() {
        return "lease journal " + file;
    }

    private void closeWriter() {
        try {
            writer.close();
        } catch (IOException e) {
            closeFailure = new IOException("cannot close lease journal " + file + ": " + e, e);
        }
    }
}
