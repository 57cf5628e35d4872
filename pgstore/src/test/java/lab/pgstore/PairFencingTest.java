package lab.pgstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import lab.dhcp.MacAddress;
import lab.dhcp.lease.JournalTimings;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two nodes of a pair on one real database: the lock, its takeover, and the fence that stops a deposed active. */
class PairFencingTest {

    private static final Duration TAKEOVER = Duration.ofMillis(600);

    @RegisterExtension
    static final LoopbackPostgresExtension POSTGRES = new LoopbackPostgresExtension("pair");

    private PostgresDatabase database;

    @BeforeEach
    void freshDatabase() {
        database = POSTGRES.freshDatabase();
    }

    @Test
    void aHeldLockIsNotTakenUntilItsHolderFallsSilentForTheTakeoverTime() throws Exception {
        ActiveLock a = lock("a");
        ActiveLock b = lock("b");

        PairFence first = a.tryTake().orElseThrow().fence();
        assertThat(b.tryTake()).isEmpty();
        assertThat(a.renew(first)).isTrue();
        assertThat(b.tryTake()).isEmpty();

        Thread.sleep(TAKEOVER.toMillis() + 200);
        ActiveLock.Taken taken = b.tryTake().orElseThrow();

        assertThat(taken.fence().epoch()).isEqualTo(first.epoch() + 1);
        assertThat(taken.previousHolder()).contains("a");
        assertThat(taken.secondsSilent()).isGreaterThanOrEqualTo(TAKEOVER.toMillis() / 1000.0);
        assertThat(a.renew(first)).as("the deposed node learns it at its next renewal").isFalse();
    }

    @Test
    void aReleasedLockIsTakenAtOnce() throws Exception {
        PairFence first = lock("a").tryTake().orElseThrow().fence();
        assertThat(lock("a").release(first)).isTrue();

        ActiveLock.Taken taken = lock("b").tryTake().orElseThrow();

        assertThat(taken.previousHolder()).isEmpty();
    }

    @Test
    void aDeposedActiveCannotCommitAndTheNewOneLoadsEverythingItDid() throws Exception {
        PairFence fenceA = lock("a").tryTake().orElseThrow().fence();
        PgLeaseStore storeA = store(fenceA, "a");
        storeA.load();
        storeA.write(lease(1, "00:00:5e:00:53:01"), () -> { }).get(10, TimeUnit.SECONDS);

        Thread.sleep(TAKEOVER.toMillis() + 200);
        PairFence fenceB = lock("b").tryTake().orElseThrow().fence();
        Throwable late = catchThrowable(() -> storeA.write(lease(2, "00:00:5e:00:53:02"), () -> { })
                .get(10, TimeUnit.SECONDS));
        storeA.close();

        assertThat(late).isInstanceOf(ExecutionException.class).cause().isInstanceOf(NotActiveException.class)
                .hasMessageContaining("no longer holds the active lock");
        PgLeaseStore storeB = store(fenceB, "b");
        List<Lease> loaded = storeB.load();
        storeB.write(lease(3, "00:00:5e:00:53:03"), () -> { }).get(10, TimeUnit.SECONDS);
        storeB.close();
        assertThat(loaded).extracting(l -> l.ip().getHostAddress()).containsExactly("10.20.1.1");
    }

    @Test
    void theRegistryShowsBothNodesAndTheHolder() throws Exception {
        PairRegistry registry = new PairRegistry(database.dataSource(), "lab");
        lock("a").tryTake().orElseThrow();
        registry.report("a", PairRegistry.Role.ACTIVE, "host-a", "1.0");
        registry.report("b", PairRegistry.Role.STANDBY, "host-b", "1.0");

        PairRegistry.Status status = registry.status();

        assertThat(status.lock().orElseThrow().holder()).contains("a");
        assertThat(status.nodes()).extracting(PairRegistry.Node::node, PairRegistry.Node::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", PairRegistry.Role.ACTIVE),
                        org.assertj.core.groups.Tuple.tuple("b", PairRegistry.Role.STANDBY));
    }

    @Test
    void anUnreachableDatabaseIsNamedWithTheDriversReason() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        PostgresSettings nowhere = new PostgresSettings("jdbc:postgresql://127.0.0.1:" + closedPort + "/appliance",
                "appliance", "x", 2, Duration.ofSeconds(2));

        Throwable thrown = catchThrowable(() -> PostgresDatabase.open(nowhere));

        assertThat(thrown).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot connect to PostgreSQL jdbc:postgresql://127.0.0.1:" + closedPort)
                .hasMessageContaining("Connection")
                .hasMessageNotContaining("x\"");
    }

    @Test
    void aWrongPasswordIsNamed() {
        PostgresSettings wrong =
                new PostgresSettings(POSTGRES.server().jdbcUrl("postgres"), LocalPostgres.USER, "wrong");

        assertThat(catchThrowable(() -> PostgresDatabase.open(wrong))).isInstanceOf(IOException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void aSchemaNewerThanThisBuildIsRefusedAndLeftAlone() throws Exception {
        String url = database.settings().url();
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, POSTGRES.server().password());
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) VALUES (99, '99', 'from the future', 'SQL',"
                    + " 'V99__future.sql', 0, 'lab', 1, true)");
        }

        Throwable thrown = catchThrowable(() -> PostgresDatabase.open(database.settings()));

        assertThat(thrown).isInstanceOf(IOException.class).hasMessageContaining("is at schema version 99")
                .hasMessageContaining("newer than the");
    }

    private ActiveLock lock(String node) {
        return new ActiveLock(database.dataSource(), "lab", node, TAKEOVER);
    }

    private PgLeaseStore store(PairFence fence, String node) {
        return new PgLeaseStore(database.dataSource(), database.settings().name(), Optional.of(fence), node,
                JournalTimings.NONE);
    }

    private static Lease lease(int host, String mac) throws IOException {
        Instant start = Instant.parse("2026-12-06T08:00:00Z");
        return new Lease((java.net.Inet4Address) InetAddress.getByName("10.20.1." + host), MacAddress.parse(mac), "",
                "vm-" + host, "waf", start, start.plusSeconds(3600), LeaseState.ACTIVE);
    }
}
