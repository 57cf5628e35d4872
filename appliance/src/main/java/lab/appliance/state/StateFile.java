package lab.appliance.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * How the appliance creates what it keeps in its state directory: files with mode 0600 and directories with mode
 * 0700, given at creation (never chmod-ed afterwards, so no other user can open one in between), and small files
 * replaced whole. The state holds VM names, addresses and password acknowledgements, and is nobody else's business.
 * An existing file or directory keeps its mode: a packager or admin who chose one (the Debian unit's
 * {@code StateDirectoryMode}) is not overruled.
 */
public final class StateFile {

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private StateFile() {
    }

    /** Creates {@code dir} and any missing parent with mode 0700; an existing one is left as it is. */
    public static Path createDirectories(Path dir) throws IOException {
        return Files.createDirectories(dir, OWNER_ONLY_DIRECTORY);
    }

    /**
     * Replaces {@code file} whole: the new content goes to a new {@code <name>.tmp} (a leftover one is deleted first,
     * so it cannot lend its mode), is forced, and is renamed over the file, so a crash at any moment leaves either
     * the old content or the new one, never half of it. A write that fails (a full or read-only disk) leaves the old
     * file as it was and removes its half-written copy, whose blocks a full disk needs back.
     */
    public static void replace(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temp);
            try (FileChannel channel = open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException deleteFailure) {
                e.addSuppressed(deleteFailure);
            }
            throw new IOException("cannot write " + file + ": " + e, e);
        }
    }

    /** Opens {@code file}; if the options create it, it is created with mode 0600. */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, Set.of(options), OWNER_ONLY_FILE);
    }
}
