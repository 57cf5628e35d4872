package lab.appliance.inventory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import lab.appliance.state.StateFile;
import lab.metadata.cloudstack.PasswordLedger;

/**
 * Which VMs acknowledged their CloudStack password, kept in {@code passwords-saved.json} in the state directory so
 * that a restart does not hand a saved password out again. Each entry remembers a digest of the password it was for:
 * a changed password is served again. Called off the event loop by the password server.
 */
public final class FilePasswordLedger implements PasswordLedger {

    static final String FILE_NAME = "passwords-saved.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final PasswordDigests digests;
    private final Map<String, String> saved = new TreeMap<>();

    private FilePasswordLedger(Path file, PasswordDigests digests) {
        this.file = file;
        this.digests = digests;
    }

    /** Loads the ledger in {@code stateDir}; {@code digests} gives the current password digest of an instance-id. */
    public static FilePasswordLedger load(Path stateDir, PasswordDigests digests) throws IOException {
        FilePasswordLedger ledger = new FilePasswordLedger(stateDir.resolve(FILE_NAME), digests);
        if (Files.exists(ledger.file)) {
            try {
                ledger.saved.putAll(JSON.readValue(ledger.file.toFile(), new TypeReference<Map<String, String>>() { }));
            } catch (IOException e) {
                throw new IOException("cannot read password ledger " + ledger.file + ": " + e.getMessage(), e);
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
        try {
            StateFile.replace(file, JSON.writeValueAsBytes(saved));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write password ledger " + file, e);
        }
    }
}
