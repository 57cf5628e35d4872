package lab.dhcp.lease;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Prints durable commits per second for 1, 8 and 64 concurrent committers, each waiting for its commit before the
 * next (as an engine waits before sending the ACK). A figure for the report, not a test: run it by hand with the
 * test classpath and a scratch directory as argument.
 */
public final class JournalThroughput {

    private static final int COMMITS = 20_000;

    private JournalThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        for (int committers : new int[] {1, 8, 64}) {
            Path dir = Files.createTempDirectory(base, "throughput");
            LeaseJournal journal = new LeaseJournal(dir);
            LeaseTable table = new LeaseTable(journal, Clock.systemUTC());
            table.open();
            ExecutorService pool = Executors.newFixedThreadPool(committers);
            int perCommitter = COMMITS / committers;
            long forcesBefore = journal.forceCount();
            long started = System.nanoTime();
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int c = 0; c < committers; c++) {
                int first = c * perCommitter;
                runs.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < perCommitter; i++) {
                        table.commit(TestLeases.active((first + i) % 768, first + i, Duration.ofHours(1))).join();
                    }
                }, pool));
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
            double seconds = (System.nanoTime() - started) / 1e9;
            long records = (long) perCommitter * committers;
            long forces = journal.forceCount() - forcesBefore;
            System.out.printf(Locale.ROOT, "committers=%d records=%d seconds=%.2f records_per_s=%.0f forces=%d"
                    + " records_per_force=%.1f%n", committers, records, seconds, records / seconds, forces,
                    (double) records / forces);
            pool.shutdown();
            table.close();
        }
    }
}
