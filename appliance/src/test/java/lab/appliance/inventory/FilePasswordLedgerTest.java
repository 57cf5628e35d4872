package lab.appliance.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** passwords-saved.json: acknowledgements survive a restart, a changed password is served again, the file is 0600. */
class FilePasswordLedgerTest {

    @TempDir
    Path stateDir;

    private final Map<String, String> digests = new HashMap<>(Map.of("i-vm1", "digest-of-password-1"));

    @Test
    void anAcknowledgementSurvivesARestartUntilThePasswordChanges() throws Exception {
        FilePasswordLedger.load(stateDir, this::digestOf).markSaved("i-vm1");

        assertThat(FilePasswordLedger.load(stateDir, this::digestOf).isSaved("i-vm1")).isTrue();
        digests.put("i-vm1", "digest-of-password-2");
        assertThat(FilePasswordLedger.load(stateDir, this::digestOf).isSaved("i-vm1")).isFalse();
    }

    @Test
    void theLedgerIsTheOwnersOnlyAndHoldsNoPassword() throws Exception {
        FilePasswordLedger.load(stateDir, this::digestOf).markSaved("i-vm1");

        Path file = stateDir.resolve(FilePasswordLedger.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(file).content().contains("i-vm1", "digest-of-password-1");
    }

    private String digestOf(String instanceId) {
        return digests.getOrDefault(instanceId, "");
    }
}
