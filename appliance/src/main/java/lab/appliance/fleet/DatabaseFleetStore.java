package lab.appliance.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import lab.pgstore.PgTimelineLines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet timeline in the pair's database, as {@link FleetJournal} keeps it on disk: records appended in batches on
 * a thread of its own (never on an event loop), compacted to a snapshot of what is live once the rows have grown past
 * twice the last snapshot plus {@value #COMPACT_SLACK}. The timeline is worth less than a lease: while the database
 * refuses, lines are dropped (one WARN), and the first write that succeeds again rewrites the timeline from memory,
 * which puts them back (one INFO).
 */
final class DatabaseFleetStore implements FleetStore {

    static final int COMPACT_SLACK = 10_000;
    /** Records waiting for the database; a flood beyond this is dropped rather than held. */
    static final int QUEUE_CAPACITY = 100_000;
    private static final int MAX_BATCH = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseFleetStore.class);

    private record Queued(FleetRecord record, long sequence) {
    }

    private final PgTimelineLines rows;
    private final int compactSlack;
    private final ObjectMapper json = new ObjectMapper();
    private final ObjectWriter lineWriter = json.writerFor(FleetRecord.class);
    private final BlockingQueue<Queued> pending = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private static final Queued STOP = new Queued(null, Long.MIN_VALUE);
    private Supplier<Snapshot> snapshots;
    private Thread writer;
    // Below: the writer thread's alone once open() has returned.
    private long storedRows;
    private long snapshotRows;
    private long skipThrough;
    private boolean failing;
    private long droppedLines;

    DatabaseFleetStore(PgTimelineLines rows) {
        this(rows, COMPACT_SLACK);
    }

    /** @param compactSlack rows beyond twice the last snapshot that trigger compaction */
    DatabaseFleetStore(PgTimelineLines rows, int compactSlack) {
        this.rows = Objects.requireNonNull(rows, "rows");
        this.compactSlack = compactSlack;
    }

    @Override
    public List<FleetRecord> replay() throws IOException {
        List<FleetRecord> records = new ArrayList<>();
        List<String> lines = rows.all();
        for (int i = 0; i < lines.size(); i++) {
            try {
                records.add(json.readValue(lines.get(i), FleetRecord.class));
            } catch (IOException | RuntimeException e) {
                LOG.warn("fleet timeline row skipped row={} cause={}", i + 1, e.getMessage());
            }
        }
        storedRows = lines.size();
        snapshotRows = records.size();
        return records;
    }

    @Override
    public synchronized void open(Supplier<Snapshot> snapshots) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        writer = new Thread(this::run, "fleet-database");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void append(FleetRecord record, long sequence) {
        if (writer != null && !pending.offer(new Queued(record, sequence))) {
            droppedLines++;
        }
    }

    @Override
    public void close() throws IOException {
        Thread running;
        synchronized (this) {
            running = writer;
        }
        if (running == null) {
            return;
        }
        try {
            pending.put(STOP);
            running.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Queued> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(pending.take());
            } catch (InterruptedException e) {
                return;
            }
            pending.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(STOP);
            write(batch);
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    private void write(List<Queued> batch) {
        List<String> lines = new ArrayList<>(batch.size());
        for (Queued queued : batch) {
            if (queued.sequence() > skipThrough) {
                lines.add(encode(queued.record()));
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        try {
            if (failing || storedRows + lines.size() > 2 * snapshotRows + compactSlack) {
                // Also after an outage: the snapshot holds what this batch and the dropped lines had.
                compact();
            } else {
                rows.append(lines);
                storedRows += lines.size();
            }
        } catch (IOException e) {
            droppedLines += lines.size();
            if (!failing) {
                failing = true;
                LOG.warn("fleet timeline not written to the database, kept in memory cause=\"{}\"", e.getMessage());
            }
            return;
        }
        if (failing) {
            failing = false;
            LOG.info("fleet timeline written to the database again, rewritten from memory dropped_lines={}",
                    droppedLines);
            droppedLines = 0;
        }
    }

    private void compact() throws IOException {
        Snapshot snapshot = snapshots.get();
        List<String> lines = new ArrayList<>(snapshot.records().size());
        snapshot.records().forEach(record -> lines.add(encode(record)));
        rows.replaceAll(lines);
        storedRows = lines.size();
        snapshotRows = lines.size();
        skipThrough = snapshot.throughSequence();
    }

    private String encode(FleetRecord record) {
        try {
            return lineWriter.writeValueAsString(record);
        } catch (IOException e) {
            throw new IllegalStateException("a fleet record always serialises", e);
        }
    }
}
