package lab.appliance.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin token file: created whole with mode 0600 or not at all, read as it is once it exists. */
class AdminTokenTest {

    @TempDir
    Path dir;

    @Test
    void aMissingTokenIsCreatedPrivateWithNoCopyLeftBehind() throws Exception {
        Path file = dir.resolve("admin.token");

        AdminToken token = AdminToken.loadOrCreate(file);

        assertThat(token.value()).matches("[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(dir.resolve("admin.token.tmp")).doesNotExist();
        assertThat(AdminToken.loadOrCreate(file).value()).as("read, not replaced").isEqualTo(token.value());
    }

    @Test
    void aCopyLeftByACrashIsReplacedNotUsed() throws Exception {
        Files.writeString(dir.resolve("admin.token.tmp"), "");

        AdminToken token = AdminToken.loadOrCreate(dir.resolve("admin.token"));

        assertThat(token.value()).matches("[0-9a-f]{64}");
        assertThat(dir.resolve("admin.token.tmp")).doesNotExist();
    }

    @Test
    void aTokenThatCannotBeWrittenLeavesNoFileBehind() throws Exception {
        // A directory where the copy goes makes the write fail, as a full or read-only disk would.
        Files.createDirectories(dir.resolve("admin.token.tmp").resolve("in-the-way"));

        assertThatThrownBy(() -> AdminToken.loadOrCreate(dir.resolve("admin.token"))).isInstanceOf(IOException.class);
        assertThat(dir.resolve("admin.token")).doesNotExist();
    }
}
