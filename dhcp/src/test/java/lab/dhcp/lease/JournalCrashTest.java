package lab.dhcp.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durability against a hard kill: whatever a killed process was told is committed must be there after restart. */
class JournalCrashTest {

    private static final int COMMITS = 700;
    private static final int KILL_AFTER = 200;

    @TempDir
    Path dir;

    @Test
    void everyLeaseReportedCommittedSurvivesKillMinusNine() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                JournalCrashChild.class.getName(), dir.toString(), Integer.toString(COMMITS))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> printed = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while (printed.size() < KILL_AFTER && (line = out.readLine()) != null) {
                collect(line, printed);
            }
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of its stdout.
            child.toHandle().destroyForcibly();
            // Lines printed before the kill landed are durable too; read them to the end of the stream.
            while ((line = out.readLine()) != null) {
                collect(line, printed);
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
        }
        assertThat(printed).hasSizeGreaterThanOrEqualTo(KILL_AFTER);

        LeaseTable table = new LeaseTable(new LeaseJournal(dir), Clock.systemUTC());
        try {
            table.open();
            List<String> recovered = table.all().stream().map(lease -> lease.ip().getHostAddress()).toList();
            assertThat(recovered).containsAll(printed);
        } finally {
            table.close();
        }
    }

    private static void collect(String line, List<String> printed) {
        if (line.startsWith(JournalCrashChild.COMMITTED)) {
            printed.add(line.substring(JournalCrashChild.COMMITTED.length()));
        }
    }
}
