package lab.appliance.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import lab.appliance.LogCapture;
import lab.appliance.state.StateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbers count per profile, survive a restart, and go on from the highest one given; a full disk delays the file,
 * never the numbers.
 */
class ProfileAssignmentsTest {

    @TempDir
    Path stateDir;

    @Test
    void numbersGoOnPerProfileAfterARestart() throws Exception {
        try (ProfileAssignments assignments = ProfileAssignments.load(stateDir)) {
            assertThat(assignments.assign("02:00:00:00:00:01", "waf").seq()).isEqualTo(1);
            assertThat(assignments.assign("02:00:00:00:00:02", "waf").seq()).isEqualTo(2);
            assertThat(assignments.assign("02:00:00:00:00:03", "ips").seq()).isEqualTo(1);
            assertThat(assignments.assign("02:00:00:00:00:01", "ips").seq()).as("kept, whatever is asked").isEqualTo(1);
        }

        try (ProfileAssignments reloaded = ProfileAssignments.load(stateDir)) {
            assertThat(reloaded.of("02:00:00:00:00:02")).hasValue(new ProfileAssignments.Assignment("waf", 2));
            assertThat(reloaded.assign("02:00:00:00:00:04", "waf").seq()).isEqualTo(3);
            assertThat(reloaded.assign("02:00:00:00:00:05", "ips").seq()).isEqualTo(2);
        }
    }

    @Test
    void theFileIsTheOwnersOnly() throws Exception {
        try (ProfileAssignments assignments = ProfileAssignments.load(stateDir)) {
            assignments.assign("02:00:00:00:00:01", "waf");
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
            stateDir.resolve(ProfileAssignments.FILE_NAME)))).isEqualTo("rw-------");
    }

    @Test
    void onAFullDiskAssignmentsHoldInMemoryTheOldFileStaysAndTheFileCatchesUpWhenSpaceReturns() throws Exception {
        AtomicBoolean full = new AtomicBoolean();
        AtomicInteger attempts = new AtomicInteger();
        StateFileWriter disk = (file, content) -> {
            attempts.incrementAndGet();
            if (full.get()) {
                throw new IOException("No space left on device");
            }
            StateFile.replace(file, content);
        };
        Path file = stateDir.resolve(ProfileAssignments.FILE_NAME);
        try (LogCapture logs = new LogCapture(DeferredStateFile.class.getName());
             ProfileAssignments assignments = ProfileAssignments.load(stateDir, disk, Duration.ofMillis(10))) {
            assignments.assign("02:00:00:00:00:01", "waf");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
            String before = Files.readString(file);

            full.set(true);
            int attemptsBefore = attempts.get();
            assertThat(assignments.assign("02:00:00:00:00:02", "waf").seq()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= attemptsBefore + 3);

            assertThat(Files.readString(file)).as("the old file, whole").isEqualTo(before);
            assertThat(assignments.assign("02:00:00:00:00:03", "waf").seq()).isEqualTo(3);
            assertThat(logs.at(Level.WARN)).singleElement().satisfies(m -> assertThat(m)
                    .contains("profile assignments not written", "retried", "No space left on device"));
            assertThat(logs.at(Level.ERROR)).as("nothing is lost yet").isEmpty();

            full.set(false);
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(file).contains("02:00:00:00:00:03"));
            assertThat(logs.at(Level.INFO)).anySatisfy(m -> assertThat(m)
                    .contains("profile assignments written again", "failed_attempts="));
        }

        try (ProfileAssignments reloaded = ProfileAssignments.load(stateDir)) {
            assertThat(reloaded.of("02:00:00:00:00:02")).hasValue(new ProfileAssignments.Assignment("waf", 2));
            assertThat(reloaded.of("02:00:00:00:00:03")).hasValue(new ProfileAssignments.Assignment("waf", 3));
        }
    }

    @Test
    void closingWhileTheDiskIsFullTriesOnceMoreAndSaysWhatIsLost() throws Exception {
        StateFileWriter full = (file, content) -> {
            throw new IOException("Read-only file system");
        };
        try (LogCapture logs = new LogCapture(DeferredStateFile.class.getName())) {
            ProfileAssignments assignments = ProfileAssignments.load(stateDir, full, Duration.ofHours(1));
            assignments.assign("02:00:00:00:00:01", "waf");
            assignments.close();

            assertThat(logs.at(Level.ERROR)).anySatisfy(m -> assertThat(m)
                    .contains("profile assignments not written at stop"));
        }
        assertThat(stateDir.resolve(ProfileAssignments.FILE_NAME)).doesNotExist();
    }
}
