package lab.pgstore;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import lab.dhcp.MacAddress;
import lab.dhcp.lease.JournalTimings;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseState;
import lab.dhcp.lease.LeaseStore;
import lab.dhcp.lease.LeaseStoreBusyException;
import lab.dhcp.lease.LeaseStoreHealth;
import lab.dhcp.lease.StoreWriterThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared {@link LeaseStore}: one row per address in PostgreSQL's {@code lease} table, written with group commit
 * on a dedicated thread, as the journal is.
 *
 * <p>Threading, and so store order: every write runs on one daemon thread named {@value #THREAD_NAME}, fed by one
 * queue of at most {@value #QUEUE_CAPACITY} tasks. It takes everything queued and writes the single records among it
 * in one transaction, one {@code lease_put} call and one COMMIT (PostgreSQL's {@code synchronous_commit} makes the
 * COMMIT's reply mean the WAL is on the server's disk); then it runs each one's {@code onDurable} and completes its
 * future, in queue order. Batches run there too, each in its own transaction, their suppliers called there.
 *
 * <p>With a {@link PairFence}, every transaction checks that this node still holds its pair's active lock; once a
 * standby took over, writes fail with {@link NotActiveException} and nothing is committed, so a deposed node that is
 * still running cannot ACK. A failed commit (database down, network gone) fails its callers' futures, is logged at
 * ERROR once per outage and at INFO when commits succeed again; each write tries again, on a fresh connection.
 */
public final class PgLeaseStore implements LeaseStore, LeaseStoreHealth {

    static final String THREAD_NAME = "lease-postgresql";
    /** Tasks taken per round, so one COMMIT never waits on an unbounded group. */
    private static final int MAX_BATCH = 4096;
    /** As the journal's queue: about a second of work at saturation, so what gets in is answered before a retry. */
    static final int QUEUE_CAPACITY = 16_384;
    private static final Logger log = LoggerFactory.getLogger(PgLeaseStore.class);
    private static final String PUT = "SELECT lease_put(?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[], ?, ?, ?, ?)";
    private static final String LOAD = "SELECT host(ip), mac::text, client_id, hostname, profile, starts, expires,"
            + " state FROM lease ORDER BY seq";

    private final DataSource database;
    private final String name;
    private final Optional<PairFence> fence;
    private final String writerName;
    private final JournalTimings timings;
    private final StoreWriterThread<Lease> thread;
    private final AtomicLong failedWrites = new AtomicLong();
    private final Object lifecycle = new Object();
    private volatile boolean writable = true;
    private boolean opened;
    private boolean closed;
    private Connection connection;
    private int failedCommits;
    private long failingSinceNanos;

    /**
     * @param database   where the lease table is (its schema migrated by {@link PostgresDatabase})
     * @param name       what errors and logs call the database
     * @param fence      the active lock every write must still hold, for a node of a pair; empty for a lone one
     * @param writerName recorded with every row, so an operator sees which appliance wrote it
     * @param timings    hears the duration of every durable commit
     */
    public PgLeaseStore(DataSource database, String name, Optional<PairFence> fence, String writerName,
                        JournalTimings timings) {
        this.database = Objects.requireNonNull(database, "database");
        this.name = Objects.requireNonNull(name, "name");
        this.fence = Objects.requireNonNull(fence, "fence");
        this.writerName = Objects.requireNonNull(writerName, "writerName");
        this.timings = Objects.requireNonNull(timings, "timings");
        this.thread = new StoreWriterThread<>(THREAD_NAME, "lease store " + name, QUEUE_CAPACITY, this::commit,
                this::closeConnection);
    }

    /** Reads every row in store order, then starts the writer thread; throws naming the database. */
    @Override
    public List<Lease> load() throws IOException {
        synchronized (lifecycle) {
            if (opened) {
                throw new IllegalStateException("lease store " + name + " was already opened");
            }
            opened = true;
            List<Lease> records = new ArrayList<>();
            try (Connection c = database.getConnection(); Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery(LOAD)) {
                while (rows.next()) {
                    records.add(new Lease((Inet4Address) InetAddress.getByName(rows.getString(1)),
                            MacAddress.parse(rows.getString(2)), rows.getString(3), rows.getString(4),
                            rows.getString(5), instant(rows, 6), instant(rows, 7),
                            LeaseState.valueOf(rows.getString(8))));
                }
            } catch (SQLException | RuntimeException e) {
                throw new IOException("cannot read the leases of " + name + ": " + PostgresDatabase.rootMessage(e),
                        e);
            }
            thread.start();
            log.info("lease database opened database=\"{}\" records={} fenced={}", name, records.size(),
                    fence.map(f -> f.pair() + "/" + f.node() + "@" + f.epoch()).orElse("no"));
            return records;
        }
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        return rows.getObject(column, OffsetDateTime.class).toInstant();
    }

    @Override
    public CompletableFuture<Void> write(Lease record, Runnable onDurable) {
        Objects.requireNonNull(record, "record");
        return thread.put(record, onDurable);
    }

    @Override
    public CompletableFuture<List<Lease>> writeBatch(Supplier<List<Lease>> batch, Consumer<List<Lease>> onDurable) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(onDurable, "onDurable");
        return thread.submit(() -> {
            List<Lease> records = List.copyOf(batch.get());
            if (!records.isEmpty()) {
                commit(records);
                onDurable.accept(records);
            }
            return records;
        });
    }

    /**
     * One row per address never grows with writes, so there is nothing to compact: completes in store order without
     * calling {@code snapshot}.
     */
    @Override
    public CompletableFuture<Void> replace(Supplier<Collection<Lease>> snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        CompletableFuture<List<Lease>> done = writeBatch(List::of, records -> { });
        return done.thenApply(records -> null);
    }

    /** Writes refused with {@link LeaseStoreBusyException} since this store was made, for metrics. */
    public long busyRejections() {
        return thread.busyRejections();
    }

    @Override
    public boolean writable() {
        return writable;
    }

    @Override
    public long failedWrites() {
        return failedWrites.get();
    }

    /** Nothing is compacted, so nothing fails to be. */
    @Override
    public long failedCompactions() {
        return 0;
    }

    @Override
    public void close() throws IOException {
        synchronized (lifecycle) {
            boolean wasOpen = opened && !closed;
            opened = true;
            closed = true;
            if (!wasOpen) {
                return;
            }
        }
        thread.close();
        log.info("lease database closed database=\"{}\"", name);
    }

    @Override
    public String toString() {
        return "lease database " + name;
    }

    /** Writes the records in one transaction; on any failure nothing of it is committed (or its outcome unknown). */
    private void commit(List<Lease> records) throws IOException {
        long started = System.nanoTime();
        try {
            Connection c = connection();
            try (PreparedStatement put = c.prepareStatement(PUT)) {
                bind(put, c, records);
                put.execute();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            throw failed(records.size(), e);
        }
        long now = System.nanoTime();
        timings.appended(records.size(), Duration.ofNanos(now - started));
        writable = true;
        if (failedCommits > 0) {
            log.info("lease database writable again database=\"{}\" failed_commits={} seconds={}", name,
                    failedCommits, String.format(Locale.ROOT, "%.3f", (now - failingSinceNanos) / 1e9));
            failedCommits = 0;
        }
    }

    private void bind(PreparedStatement put, Connection c, List<Lease> records) throws SQLException {
        int n = records.size();
        String[][] columns = new String[8][n];
        for (int i = 0; i < n; i++) {
            Lease lease = records.get(i);
            columns[0][i] = lease.ip().getHostAddress();
            columns[1][i] = lease.mac().toString();
            columns[2][i] = lease.clientId();
            columns[3][i] = lease.hostname();
            columns[4][i] = lease.profile();
            columns[5][i] = lease.start().toString();
            columns[6][i] = lease.expires().toString();
            columns[7][i] = lease.state().name();
        }
        for (int k = 0; k < columns.length; k++) {
            put.setArray(k + 1, c.createArrayOf("text", columns[k]));
        }
        put.setString(9, writerName);
        put.setString(10, fence.map(PairFence::pair).orElse(null));
        put.setString(11, fence.map(PairFence::node).orElse(null));
        if (fence.isPresent()) {
            put.setLong(12, fence.get().epoch());
        } else {
            put.setNull(12, java.sql.Types.BIGINT);
        }
    }

    private IOException failed(int records, Exception e) {
        writable = false;
        failedWrites.incrementAndGet();
        closeConnection();
        if (e instanceof SQLException sql && NotActiveException.SQLSTATE.equals(sql.getSQLState())) {
            log.warn("lease write refused, this appliance is no longer active database=\"{}\" cause=\"{}\"", name,
                    sql.getMessage());
            return new NotActiveException("lease store " + name + " refused the write: " + sql.getMessage(), e);
        }
        String cause = PostgresDatabase.rootMessage(e);
        if (failedCommits++ == 0) {
            failingSinceNanos = System.nanoTime();
            log.error("lease database commit failed, no lease is committed and no ACK sent until it recovers "
                    + "database=\"{}\" records={} cause=\"{}\"", name, records, cause);
            log.debug("lease database commit failure", e);
        } else {
            log.debug("lease database commit failed again database=\"{}\" records={} failed_commits={} cause=\"{}\"",
                    name, records, failedCommits, cause);
        }
        return new IOException("cannot commit leases to " + name + ": " + cause, e);
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = database.getConnection();
            c.setAutoCommit(false);
            connection = c;
        }
        return connection;
    }

    private void closeConnection() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing a lease database connection failed", e);
        }
        connection = null;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.debug("rollback after a failed lease commit failed", e);
        }
    }
}
