package lab.appliance.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import lab.appliance.state.StateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet timeline on disk: {@code fleet.journal} in the state directory, one JSON {@link FleetRecord} per line,
 * appended on its own thread (never on an event loop; the timeline is worth less than a lease, so no force per line).
 *
 * <p>Steps: {@link #replay()} reads every line, skipping a damaged one with a WARN, and notes where the last whole
 * line ends; {@link #open} cuts off a torn tail there and starts the writer. When the file has grown past twice the
 * last snapshot plus a slack ({@value #COMPACT_SLACK} lines), the writer asks for a snapshot of what is live (the kept
 * boots' events), writes it to {@code fleet.journal.tmp}, forces it and renames it over {@code fleet.journal}; a crash
 * at any moment leaves one loadable file. Records the snapshot already contains (sequence number at or below the
 * snapshot's) are not appended again. Replay applies lines as they were applied live, so a {@code REPORT} line
 * replaces its boot's previous one there too; journals written before the {@code METADATA_ERROR} and {@code REPORT}
 * kinds existed replay unchanged. Both files are created with mode 0600 ({@link StateFile}): the timeline names
 * every VM and what it reported.
 *
 * <p>A full or read-only disk: the lines of a failed write are dropped (the timeline lives on in memory) and the file
 * is cut back to its last whole line before the next write, which reopens it by path, so no torn line is ever
 * followed by another. When a write succeeds again, the file is rewritten from memory, which puts the dropped lines
 * back and ends the outage: one WARN when it starts, one INFO when it ends, however often a nearly full disk takes a
 * line and refuses the next meanwhile. A compaction that fails leaves the old file in use and is not tried again for
 * 30 s.
 */
final class FleetJournal implements FleetStore {

    static final String FILE_NAME = "fleet.journal";
    static final String TEMP_NAME = "fleet.journal.tmp";
    static final int COMPACT_SLACK = 10_000;
    /** A compaction that failed (a disk too full for a second copy) is not tried again sooner than this. */
    static final Duration COMPACT_RETRY = Duration.ofSeconds(30);
    private static final int CHUNK = 1 << 16;

    private static final Logger LOG = LoggerFactory.getLogger(FleetJournal.class);

    private final Path file;
    private final Path temp;
    private final int compactSlack;
    private final ChannelOpener opener;
    private final long compactRetryNanos;
    private final ObjectMapper json = new ObjectMapper();
    /** Built once: a record per DHCP message makes the serializer lookup of writeValueAsString show. */
    private final ObjectWriter lineWriter = json.writerFor(FleetRecord.class);
    private ThreadPoolExecutor writerThread;
    private BlockingQueue<Runnable> pending;
    private Supplier<Snapshot> snapshots;
    // Below: the writer thread's alone once open() has returned.
    private FileChannel out;
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream();
    private int batchLines;
    /** Bytes of whole lines in the file; a failed write's tail beyond it is cut off before the next one. */
    private long goodLength;
    private boolean broken;
    private long failedWrites;
    private long droppedLines;
    private long failingSinceNanos;
    private boolean rewriteFromMemory;
    private long lines;
    private long snapshotLines;
    private long skipThrough;
    private boolean replayed;
    private boolean compactionFailed;
    private long compactionFailedAtNanos;

    FleetJournal(Path stateDir) {
        this(stateDir, COMPACT_SLACK);
    }

    /** @param compactSlack lines beyond twice the last snapshot that trigger compaction */
    FleetJournal(Path stateDir, int compactSlack) {
        this(stateDir, compactSlack, StateFile::open, COMPACT_RETRY);
    }

    /** @param compactRetry how long a failed compaction waits before the next try */
    FleetJournal(Path stateDir, int compactSlack, ChannelOpener opener, Duration compactRetry) {
        Objects.requireNonNull(stateDir, "stateDir");
        this.file = stateDir.resolve(FILE_NAME);
        this.temp = stateDir.resolve(TEMP_NAME);
        this.compactSlack = compactSlack;
        this.opener = Objects.requireNonNull(opener, "opener");
        this.compactRetryNanos = compactRetry.toNanos();
    }

    /** Every readable record, in file order; damaged lines are skipped with a WARN naming file and line. */
    @Override
    public List<FleetRecord> replay() throws IOException {
        List<FleetRecord> records = new ArrayList<>();
        if (!Files.exists(file)) {
            return records;
        }
        byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        int number = 0;
        for (int end = indexOf(bytes, start); end >= 0; end = indexOf(bytes, start)) {
            number++;
            String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            start = end + 1;
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(json.readValue(line, FleetRecord.class));
            } catch (IOException | RuntimeException e) {
                LOG.warn("fleet journal line skipped file={} line={} cause={}", file, number, e.getMessage());
            }
        }
        if (start < bytes.length) {
            LOG.warn("fleet journal torn last line cut off file={} line={} bytes={}", file, number + 1,
                    bytes.length - start);
        }
        goodLength = start;
        replayed = true;
        lines = number;
        snapshotLines = records.size();
        return records;
    }

    /** Opens the file for appending and starts the writer thread; {@code snapshots} is asked when compacting. */
    @Override
    public synchronized void open(Supplier<Snapshot> snapshots) throws IOException {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.out = opener.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        // Without a replay nothing says where the whole lines end: append after whatever is there.
        cutBackTo(replayed ? goodLength : out.size());
        this.pending = new LinkedBlockingQueue<>();
        this.writerThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, pending, runnable -> {
            Thread thread = new Thread(runnable, "fleet-journal");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Queues one record; returns at once. */
    @Override
    public synchronized void append(FleetRecord record, long sequence) {
        if (writerThread == null) {
            return;
        }
        writerThread.execute(() -> write(record, sequence));
    }

    private void write(FleetRecord record, long sequence) {
        if (sequence <= skipThrough) {
            return;
        }
        try {
            batch.write(lineWriter.writeValueAsBytes(record));
        } catch (IOException e) {
            LOG.warn("fleet record not encoded mac={} cause={}", record.mac(), e.toString());
            return;
        }
        batch.write('\n');
        batchLines++;
        // A boot storm queues thousands of events a second: one write per burst, not per event. A compaction due
        // is taken right after this record, so the records still queued behind it are checked against its snapshot.
        if (pending.isEmpty() || (lines + batchLines > 2 * snapshotLines + compactSlack && compactionAllowed())) {
            flush();
        }
    }

    private void flush() {
        if (batchLines == 0) {
            return;
        }
        byte[] bytes = batch.toByteArray();
        int count = batchLines;
        batch.reset();
        batchLines = 0;
        long started = System.nanoTime();
        try {
            if (broken) {
                reopen();
            }
            writeFully(out, ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            broken = true;
            droppedLines += count;
            if (failedWrites++ == 0) {
                failingSinceNanos = started;
                LOG.warn("fleet journal write failed, the timeline is kept in memory only until it recovers file={} "
                        + "cause=\"{}\"", file, e.toString());
            } else {
                LOG.debug("fleet journal write failed again file={} failed_writes={} cause=\"{}\"", file,
                        failedWrites, e.toString());
            }
            return;
        }
        goodLength += bytes.length;
        lines += count;
        if (failedWrites > 0) {
            // The dropped lines are only in memory: the outage is over once a snapshot has put them back. Until then
            // (a disk with room for a line but not for a copy) it goes on, and so does its one WARN.
            rewriteFromMemory = true;
        }
        if ((rewriteFromMemory || lines > 2 * snapshotLines + compactSlack) && compactionAllowed()) {
            compact();
        }
    }

    private boolean compactionAllowed() {
        return !compactionFailed || System.nanoTime() - compactionFailedAtNanos >= compactRetryNanos;
    }

    private void compact() {
        Snapshot snapshot = snapshots.get();
        FileChannel next = null;
        try {
            // A leftover copy is deleted, not truncated: it would lend the new one its mode.
            Files.deleteIfExists(temp);
            next = opener.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK);
            for (FleetRecord record : snapshot.records()) {
                chunk.write(lineWriter.writeValueAsBytes(record));
                chunk.write('\n');
                if (chunk.size() >= CHUNK) {
                    writeFully(next, ByteBuffer.wrap(chunk.toByteArray()));
                    chunk.reset();
                }
            }
            writeFully(next, ByteBuffer.wrap(chunk.toByteArray()));
            next.force(true);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            closeQuietly(next);
            try {
                Files.deleteIfExists(temp);
            } catch (IOException deleteFailure) {
                e.addSuppressed(deleteFailure);
            }
            compactionFailed = true;
            compactionFailedAtNanos = System.nanoTime();
            if (failedWrites > 0) {
                LOG.debug("fleet journal not rewritten from memory yet file={} cause=\"{}\"", file, e.toString());
            } else {
                LOG.warn("fleet journal compaction failed, appends go on to the old file file={} cause=\"{}\"", file,
                        e.toString());
            }
            return;
        }
        // Renamed: the new file is fleet.journal, and appending goes on there.
        closeQuietly(out);
        out = next;
        try {
            goodLength = next.position();
        } catch (IOException e) {
            broken = true;
        }
        lines = snapshot.records().size();
        snapshotLines = lines;
        skipThrough = snapshot.throughSequence();
        compactionFailed = false;
        rewriteFromMemory = false;
        if (failedWrites > 0) {
            LOG.info("fleet journal writable again, rewritten from memory file={} records={} dropped_lines={} "
                    + "seconds={}", file, lines, droppedLines,
                    String.format(Locale.ROOT, "%.3f", (System.nanoTime() - failingSinceNanos) / 1e9));
            failedWrites = 0;
            droppedLines = 0;
        } else {
            LOG.info("fleet journal compacted file={} records={}", file, lines);
        }
    }

    /** Opens the file again by path (its file system may have been mounted anew) and cuts it to its whole lines. */
    private void reopen() throws IOException {
        closeQuietly(out);
        out = null;
        out = opener.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        cutBackTo(goodLength);
        broken = false;
    }

    private void cutBackTo(long length) throws IOException {
        goodLength = length;
        long size = out.size();
        if (size > length) {
            out.truncate(length);
        } else if (size < length) {
            // Not the file we wrote (replaced while we were away): go on at its end, and rewrite it from memory.
            LOG.warn("fleet journal shorter than written, rewriting it from memory file={} bytes={} expected={}",
                    file, size, length);
            goodLength = size;
            rewriteFromMemory = true;
        }
        out.position(goodLength);
    }

    /** Writes what is queued, then closes the file (cut back to its whole lines if the last write failed). */
    @Override
    public void close() throws IOException {
        ExecutorService writer;
        synchronized (this) {
            writer = writerThread;
            writerThread = null;
        }
        if (writer == null) {
            return;
        }
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("fleet journal writer did not finish file={}", file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (broken) {
                reopen();
            }
            if (out != null) {
                out.force(true);
            }
        } finally {
            closeQuietly(out);
            out = null;
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing a fleet journal channel failed", e);
        }
    }
}
