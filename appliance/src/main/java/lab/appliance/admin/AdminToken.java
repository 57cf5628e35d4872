package lab.appliance.admin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import lab.appliance.state.StateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's bearer token, kept in {@code admin.token-file}: read if the file exists, else a random 256-bit
 * value is written to a new file with mode 0600 (created with that mode, never readable by others in between).
 */
public final class AdminToken {

    private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);

    private final String value;
    /** SHA-256 of the token: what a presented token's digest is compared with. */
    private final byte[] digest;

    private AdminToken(String value) {
        this.value = value;
        this.digest = digestOf(value);
    }

    /** The token in {@code file}, created if absent; an empty file is an error (it would let anyone in). */
    public static AdminToken loadOrCreate(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            try {
                create(file);
                LOG.info("admin token created token_file={}", file);
            } catch (FileAlreadyExistsException e) {
                // Created by someone else meanwhile: theirs is read below.
            }
        }
        return read(file);
    }

    /** Reads the token the CLI sends; throws naming the file if it is missing or empty. */
    public static AdminToken read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IOException("admin token file " + file + " is empty");
        }
        return new AdminToken(text);
    }

    /**
     * Writes the token to {@code <file>.tmp} (mode 0600 from its creation), forces it, then links it as {@code file},
     * which fails if someone else created it meanwhile. A full or read-only disk thus leaves no file behind, rather
     * than an empty one that every later start refuses.
     */
    private static void create(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        if (file.getParent() != null) {
            StateFile.createDirectories(file.getParent());
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try {
            try (FileChannel channel = StateFile.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer content = ByteBuffer.wrap((HexFormat.of().formatHex(random) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                channel.force(true);
            }
            Files.createLink(file, temp);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException deleteFailure) {
                e.addSuppressed(deleteFailure);
            }
            throw e;
        }
        Files.delete(temp);
    }

    /** The value to send as {@code Authorization: Bearer …}. */
    public String value() {
        return value;
    }

    /**
     * True if {@code header} is {@code Bearer <this token>}. The digests of the two are compared, not the texts:
     * both are always 32 bytes, so {@link MessageDigest#isEqual} takes the same time whatever was sent, and neither
     * the token's length nor how many of its first characters a guess got right shows in the answer's timing.
     */
    public boolean admits(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, digestOf(header.substring(7).strip()));
    }

    /** SHA-256 of {@code text} in UTF-8: 32 bytes for any input. */
    static byte[] digestOf(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
