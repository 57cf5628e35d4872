package lab.pgstore;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import lab.dhcp.lease.JournalTimings;
import lab.dhcp.lease.LeaseStore;
import lab.dhcp.lease.LeaseStoreContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PostgreSQL store held to the {@link LeaseStore} contract, against a real server of the test's own: each test
 * gets a database of its own, migrated by {@link PostgresDatabase}. Failures are injected as failed COMMITs (the
 * server rolls the transaction back), the database's way of a write that did not become durable.
 */
class PgLeaseStoreContractTest extends LeaseStoreContractTest {

    @RegisterExtension
    static final LoopbackPostgresExtension POSTGRES = new LoopbackPostgresExtension("contract");

    private final Map<Path, PostgresDatabase> open = new HashMap<>();

    @Override
    protected LeaseStore freshStore(Path dir) {
        return store(database(dir).dataSource(), dir);
    }

    @Override
    protected LeaseStore reopenedStore(Path dir) {
        return store(database(dir).dataSource(), dir);
    }

    @Override
    protected LeaseStore freshStoreFailingWhile(Path dir, AtomicBoolean failing) {
        return store(failingCommits(database(dir).dataSource(), failing), dir);
    }

    @Override
    protected String nameInErrors(Path dir) {
        return database(dir).settings().name();
    }

    private LeaseStore store(DataSource source, Path dir) {
        return new PgLeaseStore(source, nameInErrors(dir), Optional.empty(), "contract-test", JournalTimings.NONE);
    }

    /** One database per test directory (so a reopened store finds its rows), made and migrated on first use. */
    private PostgresDatabase database(Path dir) {
        return open.computeIfAbsent(dir, d -> POSTGRES.freshDatabase());
    }

    /** Connections whose COMMIT, while {@code failing}, rolls back and throws, as one to a server that died would. */
    private static DataSource failingCommits(DataSource real, AtomicBoolean failing) {
        InvocationHandler sourceHandler = (proxy, method, args) -> {
            Object result = invoke(real, method, args);
            if (result instanceof Connection connection) {
                return Proxy.newProxyInstance(PgLeaseStoreContractTest.class.getClassLoader(),
                        new Class<?>[] {Connection.class}, (p, m, a) -> {
                            if (m.getName().equals("commit") && failing.get()) {
                                connection.rollback();
                                throw new SQLException("injected: the server went away during COMMIT", "08006");
                            }
                            return invoke(connection, m, a);
                        });
            }
            return result;
        };
        return (DataSource) Proxy.newProxyInstance(PgLeaseStoreContractTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, sourceHandler);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
