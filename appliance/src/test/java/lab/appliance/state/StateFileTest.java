package lab.appliance.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way the appliance creates a state file or directory gives it to its owner only, from the start; a state file
 * is replaced whole or not at all, and a failed write leaves no copy behind.
 */
class StateFileTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheContentAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("state.json");
        StateFile.replace(file, bytes("one"));
        StateFile.replace(file, bytes("two"));

        assertThat(Files.readString(file)).isEqualTo("two");
        assertThat(dir.resolve("state.json.tmp")).doesNotExist();
    }

    @Test
    void aWriteThatFailsLeavesTheOldStateAndRemovesItsCopy() throws IOException {
        // A directory with something in it where the file goes: the copy is written, and its rename then fails, as
        // a full or read-only disk's force or rename would.
        Path file = Files.createDirectory(dir.resolve("state.json"));
        Files.writeString(file.resolve("kept"), "old");

        assertThatThrownBy(() -> StateFile.replace(file, bytes("new")))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot write " + file);
        assertThat(file.resolve("kept")).hasContent("old");
        assertThat(dir.resolve("state.json.tmp")).doesNotExist();
    }

    @Test
    void replacedFileIsTheOwnersOnlyEvenWhenALeftoverTempFileWasNot() throws IOException {
        Path file = dir.resolve("state.json");
        Path leftover = Files.writeString(dir.resolve("state.json.tmp"), "half of an old write");
        Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-r--r--"));

        StateFile.replace(file, "{\"v\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(file).hasContent("{\"v\":1}");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(leftover).doesNotExist();
    }

    @Test
    void replacingAFileOfAnOlderVersionLeavesItTheOwnersOnly() throws IOException {
        Path file = Files.writeString(dir.resolve("state.json"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        StateFile.replace(file, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(file).hasContent("new");
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void openCreatesTheOwnersOnlyFileAndLeavesAnExistingOnesModeAlone() throws IOException {
        Path created = dir.resolve("journal");
        Path existing = Files.writeString(dir.resolve("given"), "old");
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r-----"));

        try (FileChannel channel = StateFile.open(created, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes("one\n")));
        }
        StateFile.open(existing, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();

        assertThat(created).hasContent("one");
        assertThat(mode(created)).isEqualTo("rw-------");
        assertThat(mode(existing)).isEqualTo("rw-r-----");
    }

    @Test
    void createdDirectoriesAreTheOwnersOnlyAndAnExistingOneKeepsItsMode() throws IOException {
        Path existing = Files.createDirectory(dir.resolve("given"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-x---"));

        StateFile.createDirectories(existing.resolve("a").resolve("b"));
        StateFile.createDirectories(existing);

        assertThat(mode(existing.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(existing.resolve("a").resolve("b"))).isEqualTo("rwx------");
        assertThat(mode(existing)).as("chosen by its packager or admin").isEqualTo("rwxr-x---");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
