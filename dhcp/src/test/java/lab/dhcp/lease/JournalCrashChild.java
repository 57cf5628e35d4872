package lab.dhcp.lease;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Child process of {@link JournalCrashTest}: commits leases from several threads and prints each address once its
 * commit future completed, until it is killed or has committed {@code count}.
 */
public final class JournalCrashChild {

    /** Prefix of the lines that report a commit (logging shares stdout). */
    static final String COMMITTED = "committed ";

    private JournalCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        LeaseTable table = new LeaseTable(new LeaseJournal(dir), Clock.systemUTC());
        table.open();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Semaphore inFlight = new Semaphore(32);
        for (int n = 0; n < count; n++) {
            inFlight.acquire();
            int lease = n;
            pool.execute(() -> table.commit(TestLeases.active(lease, lease, Duration.ofHours(1)))
                    .whenComplete((committed, failure) -> {
                        if (failure == null) {
                            synchronized (System.out) {
                                System.out.println(COMMITTED + committed.ip().getHostAddress());
                                System.out.flush();
                            }
                        }
                        inFlight.release();
                    }));
        }
        pool.shutdown();
        table.close();
    }
}
