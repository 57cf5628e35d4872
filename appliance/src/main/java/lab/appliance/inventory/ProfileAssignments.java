package lab.appliance.inventory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import lab.appliance.state.StateDocuments;

/**
 * Which device profile an unlisted VM was given and its stable per-profile number ({@code seq}, used in generated
 * hostnames such as {@code waf-{{ seq }}}), kept in {@code profile-assignments.json} in the state directory. A VM keeps
 * its profile and number for good: a renamed VM would look like a new instance to cloud-init. The file is rewritten
 * ({@link DeferredStateFile}) on a thread of its own at most {@value #SAVE_DELAY_MILLIS} ms after a new assignment, so
 * that the DHCP event loop that assigns never waits for the disk and the assignments of a burst share one write; on a
 * full or read-only disk the assignments hold in memory and the write is retried until it sticks.
 */
public final class ProfileAssignments implements AutoCloseable {

    static final String FILE_NAME = "profile-assignments.json";
    /**
     * New assignments are written at most this long after they are made, together: the whole file is rewritten,
     * and a boot storm of thousands of new VMs rewrote it back to back. A crash within that time forgets them; the
     * VMs then get numbers again on their next DHCP message.
     */
    static final long SAVE_DELAY_MILLIS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One VM's assignment. */
    public record Assignment(String profile, int seq) {
    }

    private final Path file;
    private final StateDocuments documents;
    private final Map<String, Assignment> byMac = new LinkedHashMap<>();
    /** The highest number given in each profile: scanning every assignment per new VM made a 50,000-VM fill quadratic. */
    private final Map<String, Integer> lastSeq = new HashMap<>();
    private final DeferredStateFile saved;

    private ProfileAssignments(Path file, StateDocuments documents, StateFileWriter writer, Duration retry) {
        this.file = file;
        this.documents = documents;
        this.saved = new DeferredStateFile(file, "profile assignments", this::content,
                Duration.ofMillis(SAVE_DELAY_MILLIS), retry, writer);
    }

    /** Loads the assignments kept in {@code stateDir}; none when the file does not exist yet. */
    public static ProfileAssignments load(Path stateDir) throws IOException {
        return load(stateDir, StateDocuments.FILES);
    }

    /** The assignments kept in {@code documents} (the state directory's file, or the pair's shared database). */
    public static ProfileAssignments load(Path stateDir, StateDocuments documents) throws IOException {
        return load(stateDir, documents, documents::replace, DeferredStateFile.RETRY);
    }

    /** The same, written by {@code writer} and retried every {@code retry} after a failed write. */
    static ProfileAssignments load(Path stateDir, StateFileWriter writer, Duration retry) throws IOException {
        return load(stateDir, StateDocuments.FILES, writer, retry);
    }

    private static ProfileAssignments load(Path stateDir, StateDocuments documents, StateFileWriter writer,
                                           Duration retry) throws IOException {
        ProfileAssignments assignments = new ProfileAssignments(stateDir.resolve(FILE_NAME), documents, writer,
                retry);
        Optional<byte[]> content = documents.read(assignments.file);
        if (content.isPresent()) {
            try {
                Map<String, Assignment> stored = JSON.readValue(content.get(), new TypeReference<>() { });
                assignments.byMac.putAll(stored);
                stored.values().forEach(a -> assignments.lastSeq.merge(a.profile(), a.seq(), Math::max));
            } catch (IOException e) {
                throw new IOException("cannot read profile assignments " + documents.where(assignments.file) + ": "
                        + e.getMessage(), e);
            }
        }
        return assignments;
    }

    /** The assignment of {@code mac}, if it has one. */
    public synchronized Optional<Assignment> of(String mac) {
        return Optional.ofNullable(byMac.get(mac));
    }

    /**
     * The assignment of {@code mac} to {@code profile}: its existing one if it has one (whatever profile it names),
     * else the next number of that profile, queued for writing.
     */
    public synchronized Assignment assign(String mac, String profile) {
        Assignment existing = byMac.get(Objects.requireNonNull(mac, "mac"));
        if (existing != null) {
            return existing;
        }
        int next = lastSeq.getOrDefault(profile, 0) + 1;
        Assignment assignment = new Assignment(profile, next);
        byMac.put(mac, assignment);
        lastSeq.put(profile, next);
        saved.changed();
        return assignment;
    }

    /** Writes what is not written yet and stops the writer thread. */
    @Override
    public void close() {
        saved.close();
    }

    /** The whole file; called on the writer's thread. */
    private byte[] content() {
        synchronized (this) {
            try {
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(byMac);
            } catch (IOException e) {
                throw new IllegalStateException("records of strings and ints always serialise", e);
            }
        }
    }
}
