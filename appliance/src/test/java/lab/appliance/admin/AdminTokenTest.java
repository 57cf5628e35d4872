package lab.appliance.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin token: admitted by digest, whatever was sent; its file created whole with mode 0600 or not at all. */
class AdminTokenTest {

    private static final String TOKEN = "3f1c0a9be27d4c55a18e6b0f9d2c7e41";

    @TempDir
    Path dir;

    @Test
    void admitsTheTokenWithAnyCaseOfTheSchemeAndSurroundingBlanks() throws IOException {
        AdminToken token = tokenFile(TOKEN);

        assertThat(token.admits("Bearer " + TOKEN)).isTrue();
        assertThat(token.admits("bearer " + TOKEN)).isTrue();
        assertThat(token.admits("Bearer   " + TOKEN + " ")).isTrue();
    }

    /** Wrong guesses of every length: shorter, longer, a prefix, the token plus one character, one character off. */
    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer x", "Bearer 3f1c0a9be27d4c55a18e6b0f9d2c7e4",
        "Bearer 3f1c0a9be27d4c55a18e6b0f9d2c7e411", "Bearer 3f1c0a9be27d4c55a18e6b0f9d2c7e40",
        "Bearer 4f1c0a9be27d4c55a18e6b0f9d2c7e41", "Basic 3f1c0a9be27d4c55a18e6b0f9d2c7e41",
        "3f1c0a9be27d4c55a18e6b0f9d2c7e41", "Bearer3f1c0a9be27d4c55a18e6b0f9d2c7e41"})
    void refusesEverythingElse(String header) throws IOException {
        assertThat(tokenFile(TOKEN).admits(header)).isFalse();
    }

    @Test
    void aGuessOfAnyLengthIsRefusedLikeAnyOther() throws IOException {
        AdminToken token = tokenFile(TOKEN);
        for (int length = 0; length <= 4 * TOKEN.length(); length++) {
            String guess = TOKEN.repeat(4).substring(0, length);
            assertThat(token.admits("Bearer " + guess)).as("guess of length %d", length)
                .isEqualTo(guess.equals(TOKEN));
        }
    }

    /** What makes the comparison independent of what was sent: both sides are digests of one fixed length. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 31, 32, 33, 64, 10_000})
    void digestsHaveOneLengthWhateverTheInput(int length) {
        assertThat(AdminToken.digestOf("a".repeat(length))).hasSize(32);
    }

    @Test
    void anEmptyTokenFileIsRefusedRatherThanAdmittingAnEmptyToken() throws IOException {
        Path file = Files.writeString(dir.resolve("admin.token"), " \n");

        assertThatThrownBy(() -> AdminToken.loadOrCreate(file)).isInstanceOf(IOException.class)
            .hasMessageContaining("is empty");
    }

    @Test
    void aCreatedTokenIsRandomHexInAFileOfItsOwnerOnly() throws IOException {
        Path file = dir.resolve("sub").resolve("admin.token");

        AdminToken token = AdminToken.loadOrCreate(file);

        assertThat(token.value()).matches("[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
            .isEqualTo("rwx------");
        assertThat(dir.resolve("sub").resolve("admin.token.tmp")).doesNotExist();
        assertThat(AdminToken.loadOrCreate(file).value()).as("read, not replaced").isEqualTo(token.value());
        assertThat(token.admits("Bearer " + token.value())).isTrue();
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

    private AdminToken tokenFile(String value) throws IOException {
        return AdminToken.read(Files.writeString(dir.resolve("admin.token"), value + "\n", StandardCharsets.UTF_8));
    }
}
