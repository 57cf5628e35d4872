package lab.appliance.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * One client's private directory: its script and config copied from {@code src/test/resources/netns/}, and the
 * files the script writes there ({@code events}: one reason per line; {@code lease.env}: the last binding).
 */
final class ClientScriptDir {

    private final Path dir;

    private ClientScriptDir(Path dir) {
        this.dir = dir;
    }

    /** Copies {@code script} (made executable) and {@code configs} from the test resources into {@code dir}. */
    static ClientScriptDir create(Path dir, String script, String... configs) {
        ClientScriptDir scripts = new ClientScriptDir(dir);
        scripts.copyResource(script);
        try {
            Files.setPosixFilePermissions(dir.resolve(script), PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dir.resolve(script) + " executable", e);
        }
        for (String config : configs) {
            scripts.copyResource(config);
        }
        return scripts;
    }

    /** An absolute path inside the directory, as text for a command line. */
    String path(String name) {
        return dir.resolve(name).toAbsolutePath().toString();
    }

    Path dir() {
        return dir;
    }

    /** Forgets the last binding, so a failed run cannot return the previous one. */
    void clearLease() {
        try {
            Files.deleteIfExists(dir.resolve("lease.env"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir.resolve("lease.env"), e);
        }
    }

    Optional<ClientEnvironment> lease() {
        Path file = dir.resolve("lease.env");
        return Files.exists(file) ? Optional.of(ClientEnvironment.read(file)) : Optional.empty();
    }

    /** The reasons or events the client passed to its script so far, oldest first. */
    List<String> events() {
        Path file = dir.resolve("events");
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void copyResource(String name) {
        try (InputStream in = ClientScriptDir.class.getResourceAsStream("/netns/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource netns/" + name + " is missing");
            }
            Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy netns/" + name + " to " + dir, e);
        }
    }
}
