package lab.appliance.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import lab.appliance.state.StateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged password is not served again, after a restart too; a full disk does not refuse the ack; the file is
 * the owner's only.
 */
class FilePasswordLedgerTest {

    private static final FilePasswordLedger.PasswordDigests DIGESTS = id -> "digest-of-" + id;

    @TempDir
    Path stateDir;

    @Test
    void anAckCountsAtOnceOnAFullDiskAndIsOnDiskOnceSpaceReturns() throws Exception {
        AtomicBoolean full = new AtomicBoolean(true);
        StateFileWriter disk = (file, content) -> {
            if (full.get()) {
                throw new IOException("No space left on device");
            }
            StateFile.replace(file, content);
        };
        Path file = stateDir.resolve(FilePasswordLedger.FILE_NAME);
        try (FilePasswordLedger ledger = FilePasswordLedger.load(stateDir, DIGESTS, disk, Duration.ofMillis(10))) {
            ledger.markSaved("i-1");

            assertThat(ledger.isSaved("i-1")).isTrue();
            assertThat(file).doesNotExist();

            full.set(false);
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
        }

        try (FilePasswordLedger reloaded = FilePasswordLedger.load(stateDir, DIGESTS)) {
            assertThat(reloaded.isSaved("i-1")).isTrue();
            assertThat(reloaded.isSaved("i-2")).isFalse();
        }
    }

    @Test
    void aChangedPasswordIsServedAgain() throws Exception {
        try (FilePasswordLedger ledger = FilePasswordLedger.load(stateDir, DIGESTS)) {
            ledger.markSaved("i-1");
        }

        try (FilePasswordLedger reloaded = FilePasswordLedger.load(stateDir, id -> "new-digest")) {
            assertThat(reloaded.isSaved("i-1")).isFalse();
        }
    }

    @Test
    void theLedgerIsTheOwnersOnlyAndHoldsNoPassword() throws Exception {
        try (FilePasswordLedger ledger = FilePasswordLedger.load(stateDir, DIGESTS)) {
            ledger.markSaved("i-1");
        }

        Path file = stateDir.resolve(FilePasswordLedger.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(file).content().contains("i-1", "digest-of-i-1");
    }
}
