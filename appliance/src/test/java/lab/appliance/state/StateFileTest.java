package lab.appliance.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way the appliance creates a state file or directory gives it to its owner only, from the start. */
class StateFileTest {

    @TempDir
    Path dir;

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
    void appenderCreatesTheOwnersOnlyFileAndAppends() throws IOException {
        Path file = dir.resolve("journal");
        try (BufferedWriter out = StateFile.appender(file)) {
            out.write("one\n");
        }
        try (BufferedWriter out = StateFile.appender(file)) {
            out.write("two\n");
        }

        assertThat(file).hasContent("one\ntwo");
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void newWriterReplacesALeftoverFileByAnOwnersOnlyOne() throws IOException {
        Path file = Files.writeString(dir.resolve("journal.tmp"), "leftover");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        try (BufferedWriter out = StateFile.newWriter(file)) {
            out.write("fresh");
        }

        assertThat(file).hasContent("fresh");
        assertThat(mode(file)).isEqualTo("rw-------");
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

    static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
