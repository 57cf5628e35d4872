package lab.appliance.fleet;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/** Where the fleet timeline is kept: the state directory's journal, or the pair's shared database. */
interface FleetStore extends AutoCloseable {

    /** What is live, and the sequence number of the last record it includes. */
    record Snapshot(List<FleetRecord> records, long throughSequence) {
    }

    /** Every readable record, in the order written; unreadable ones are skipped with a WARN. */
    List<FleetRecord> replay() throws IOException;

    /** Starts writing; {@code snapshots} is asked for what is live when the store compacts. */
    void open(Supplier<Snapshot> snapshots) throws IOException;

    /** Queues one record; returns at once, never waiting for a disk or a database. */
    void append(FleetRecord record, long sequence);

    /** Writes what is queued and stops. */
    @Override
    void close() throws IOException;
}
