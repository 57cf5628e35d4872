package lab.appliance.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Numbers count per profile, survive a restart, and go on from the highest one given. */
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
}
