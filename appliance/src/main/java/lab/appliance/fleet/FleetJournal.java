package lab.appliance.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
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
 * appended and flushed on its own thread (never on an event loop; the timeline is worth less than a lease, so no
 * force per line).
 *
 * <p>Steps: {@link #replay()} reads every line, skipping a damaged one with a WARN; {@link #open} starts the writer.
 * When the file has grown past twice the last snapshot plus a slack ({@value #COMPACT_SLACK} lines), the writer asks for a
 * snapshot of what is live (the kept boots' events), writes it to {@code fleet.journal.tmp}, forces it and renames it
 * over {@code fleet.journal}; a crash at any moment leaves one loadable file. Records the snapshot already contains
 * (sequence number at or below the snapshot's) are not appended again. Replay applies lines as they were applied
 * live, so a {@code REPORT} line replaces its boot's previous one there too; journals written before the
 * {@code METADATA_ERROR} and {@code REPORT} kinds existed replay unchanged. Both files are created with mode 0600
 * ({@link StateFile}): the timeline names every VM and what it reported.
 */
final class FleetJournal implements AutoCloseable {

    static final String FILE_NAME = "fleet.journal";
    static final String TEMP_NAME = "fleet.journal.tmp";
    static final int COMPACT_SLACK = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(FleetJournal.class);

    /** What is live, and the sequence number of the last record it includes. */
    record Snapshot(List<FleetRecord> records, long throughSequence) {
    }

    private final Path file;
    private final Path temp;
    private final int compactSlack;
    private final ObjectMapper json = new ObjectMapper();
    /** Built once: a record per DHCP message makes the serializer lookup of writeValueAsString show. */
    private final ObjectWriter lineWriter = json.writerFor(FleetRecord.class);
    private ThreadPoolExecutor writerThread;
    private BlockingQueue<Runnable> pending;
    private BufferedWriter out;
    private Supplier<Snapshot> snapshots;
    private long lines;
    private long snapshotLines;
    private long skipThrough;

    FleetJournal(Path stateDir) {
        this(stateDir, COMPACT_SLACK);
    }

    /** @param compactSlack lines beyond twice the last snapshot that trigger compaction */
    FleetJournal(Path stateDir, int compactSlack) {
        Objects.requireNonNull(stateDir, "stateDir");
        this.file = stateDir.resolve(FILE_NAME);
        this.temp = stateDir.resolve(TEMP_NAME);
        this.compactSlack = compactSlack;
    }

    /** Every readable record, in file order; damaged lines are skipped with a WARN naming file and line. */
    List<FleetRecord> replay() throws IOException {
        List<FleetRecord> records = new ArrayList<>();
        if (!Files.exists(file)) {
            return records;
        }
        List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(json.readValue(line, FleetRecord.class));
            } catch (IOException | RuntimeException e) {
                LOG.warn("fleet journal line skipped file={} line={} cause={}", file, i + 1, e.getMessage());
            }
        }
        lines = text.size();
        snapshotLines = records.size();
        return records;
    }

    /** Opens the file for appending and starts the writer thread; {@code snapshots} is asked when compacting. */
    synchronized void open(Supplier<Snapshot> snapshots) throws IOException {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.out = StateFile.appender(file);
        this.pending = new LinkedBlockingQueue<>();
        this.writerThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, pending, runnable -> {
            Thread thread = new Thread(runnable, "fleet-journal");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Queues one record; returns at once. */
    synchronized void append(FleetRecord record, long sequence) {
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
            out.write(lineWriter.writeValueAsString(record));
            out.newLine();
            // A boot storm queues thousands of events a second: one flush per burst, not per event.
            if (pending.isEmpty()) {
                out.flush();
            }
            lines++;
            if (lines > 2 * snapshotLines + compactSlack) {
                compact();
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("fleet journal write failed file={} cause={}", file, e.toString());
        }
    }

    private void compact() throws IOException {
        Snapshot snapshot = snapshots.get();
        try (BufferedWriter tmp = StateFile.newWriter(temp)) {
            for (FleetRecord record : snapshot.records()) {
                tmp.write(lineWriter.writeValueAsString(record));
                tmp.newLine();
            }
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        out.close();
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            // Renamed or not, appending goes on to whichever file is now fleet.journal.
            out = StateFile.appender(file);
        }
        lines = snapshot.records().size();
        snapshotLines = lines;
        skipThrough = snapshot.throughSequence();
        LOG.info("fleet journal compacted file={} records={}", file, lines);
    }

    /** Writes what is queued, then closes the file. */
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
        out.close();
    }
}
