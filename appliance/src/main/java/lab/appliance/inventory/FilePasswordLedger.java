package lab.appliance.inventory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import lab.appliance.state.StateDocuments;
import lab.metadata.cloudstack.PasswordLedger;

/**
 * Which VMs acknowledged their CloudStack password, kept in {@code passwords-saved.json} in the state directory so
 * that a restart does not hand a saved password out again. Each entry remembers a digest of the password it was for:
 * a changed password is served again.
 *
 * <p>An acknowledgement counts at once, in memory; the file follows on a thread of its own ({@link DeferredStateFile}),
 * retried until it sticks while the disk is full or read-only. A VM is thus never refused its {@code saved_password}
 * for want of disk; only a restart before the file caught up hands its password out once more, as a crash just
 * before the acknowledgement would have.
 */
public final class FilePasswordLedger implements PasswordLedger, AutoCloseable {

    static final String FILE_NAME = "passwords-saved.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PasswordDigests digests;
    private final Map<String, String> saved = new TreeMap<>();
    private final DeferredStateFile file;

    private FilePasswordLedger(Path file, PasswordDigests digests, StateFileWriter writer, Duration retry) {
        this.digests = digests;
        this.file = new DeferredStateFile(file, "password ledger", this::content, Duration.ZERO, retry, writer);
    }

    /** Loads the ledger in {@code stateDir}; {@code digests} gives the current password digest of an instance-id. */
    public static FilePasswordLedger load(Path stateDir, PasswordDigests digests) throws IOException {
        return load(stateDir, digests, StateDocuments.FILES);
    }

    /** The ledger kept in {@code documents} (the state directory's file, or the pair's shared database). */
    public static FilePasswordLedger load(Path stateDir, PasswordDigests digests, StateDocuments documents)
            throws IOException {
        return load(stateDir, digests, documents, documents::replace, DeferredStateFile.RETRY);
    }

    /** The same, written by {@code writer} and retried every {@code retry} after a failed write. */
    static FilePasswordLedger load(Path stateDir, PasswordDigests digests, StateFileWriter writer, Duration retry)
            throws IOException {
        return load(stateDir, digests, StateDocuments.FILES, writer, retry);
    }

    private static FilePasswordLedger load(Path stateDir, PasswordDigests digests, StateDocuments documents,
                                           StateFileWriter writer, Duration retry) throws IOException {
        Path path = stateDir.resolve(FILE_NAME);
        FilePasswordLedger ledger = new FilePasswordLedger(path, digests, writer, retry);
        Optional<byte[]> content;
        try {
            content = documents.read(path);
        } catch (IOException e) {
            ledger.close();
            throw new IOException("cannot read password ledger " + documents.where(path) + ": " + e.getMessage(), e);
        }
        if (content.isPresent()) {
            try {
                ledger.saved.putAll(JSON.readValue(content.get(), new TypeReference<Map<String, String>>() { }));
            } catch (IOException e) {
                ledger.close();
                throw new IOException("cannot read password ledger " + documents.where(path) + ": " + e.getMessage(),
                        e);
            }
        }
        return ledger;
    }

    /** The digest of an instance's current password, "" when it has none. */
    @FunctionalInterface
    public interface PasswordDigests {
        String of(String instanceId);
    }

    @Override
    public synchronized boolean isSaved(String instanceId) {
        String digest = saved.get(instanceId);
        return digest != null && digest.equals(digests.of(instanceId));
    }

    @Override
    public synchronized void markSaved(String instanceId) {
        saved.put(instanceId, digests.of(instanceId));
        file.changed();
    }

    /** Writes what is not written yet and stops the ledger's writer thread. */
    @Override
    public void close() {
        file.close();
    }

    /** The whole file; called on the writer's thread. */
    private synchronized byte[] content() {
        try {
            return JSON.writeValueAsBytes(saved);
        } catch (IOException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
