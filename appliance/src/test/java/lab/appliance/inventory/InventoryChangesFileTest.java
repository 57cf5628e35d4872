package lab.appliance.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inventory-changes.json round-trips the API's edits and, since a record put may carry a password, is 0600. */
class InventoryChangesFileTest {

    @TempDir
    Path stateDir;

    @Test
    void savedChangesLoadBackFromAFileOfTheOwnerOnly() throws Exception {
        InventoryChangesFile file = new InventoryChangesFile(stateDir);
        InventoryChanges changes = new InventoryChanges(
            Map.of("02:00:00:00:00:01", Map.of("mac", "02:00:00:00:00:01", "password", "Lab-Passw0rd-9")),
            Set.of("02:00:00:00:00:02"));

        file.save(changes);

        assertThat(new InventoryChangesFile(stateDir).load()).isEqualTo(changes);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
    }

    @Test
    void noFileMeansNoChanges() throws Exception {
        assertThat(new InventoryChangesFile(stateDir).load()).isEqualTo(InventoryChanges.NONE);
    }
}
