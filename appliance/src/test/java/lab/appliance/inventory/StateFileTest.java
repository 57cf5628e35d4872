package lab.appliance.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state file is replaced whole or not at all, and a failed write leaves no copy behind. */
class StateFileTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheContentAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("state.json");
        StateFile.replace(file, bytes("one"));
        StateFile.replace(file, bytes("two"));

        assertThat(Files.readString(file)).isEqualTo("two");
        assertThat(dir.resolve("state.json.tmp")).doesNotExist();
    }

    @Test
    void aWriteThatFailsLeavesTheOldContentAndRemovesItsCopy() throws Exception {
        Path file = dir.resolve("state.json");
        StateFile.replace(file, bytes("old"));
        // A directory where the copy goes makes its open fail, as a full or read-only disk would.
        Files.createDirectory(dir.resolve("state.json.tmp"));

        assertThatThrownBy(() -> StateFile.replace(file, bytes("new")))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot write " + file);
        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(dir.resolve("state.json.tmp")).doesNotExist();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
