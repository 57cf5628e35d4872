package lab.appliance.inventory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import lab.appliance.state.StateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which device profile an unlisted VM was given and its stable per-profile number ({@code seq}, used in generated
 * hostnames such as {@code waf-{{ seq }}}), kept in {@code profile-assignments.json} in the state directory. A VM keeps
 * its profile and number for good: a renamed VM would look like a new instance to cloud-init. The file is rewritten
 * ({@link StateFile}) on a thread of its own at most {@value #SAVE_DELAY_MILLIS} ms after a new assignment, so that the
 * DHCP event loop that assigns never waits for the disk and the assignments of a burst share one write.
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
    private static final Logger LOG = LoggerFactory.getLogger(ProfileAssignments.class);

    /** One VM's assignment. */
    public record Assignment(String profile, int seq) {
    }

    private final Path file;
    private final Map<String, Assignment> byMac = new LinkedHashMap<>();
    /** The highest number given in each profile: scanning every assignment per new VM made a 50,000-VM fill quadratic. */
    private final Map<String, Integer> lastSeq = new HashMap<>();
    private final AtomicBoolean saveQueued = new AtomicBoolean();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "profile-assignments");
        t.setDaemon(true);
        return t;
    });

    private ProfileAssignments(Path file) {
        this.file = file;
    }

    /** Loads the assignments kept in {@code stateDir}; none when the file does not exist yet. */
    public static ProfileAssignments load(Path stateDir) throws IOException {
        ProfileAssignments assignments = new ProfileAssignments(stateDir.resolve(FILE_NAME));
        if (Files.exists(assignments.file)) {
            try {
                Map<String, Assignment> stored = JSON.readValue(assignments.file.toFile(), new TypeReference<>() { });
                assignments.byMac.putAll(stored);
                stored.values().forEach(a -> assignments.lastSeq.merge(a.profile(), a.seq(), Math::max));
            } catch (IOException e) {
                throw new IOException("cannot read profile assignments " + assignments.file + ": " + e.getMessage(), e);
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
        if (saveQueued.compareAndSet(false, true)) {
            writer.schedule(this::saveQuietly, SAVE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
        return assignment;
    }

    /** Writes what is queued and stops the writer thread. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("profile assignments not written within 10 s file={}", file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void saveQuietly() {
        saveQueued.set(false);
        try {
            save();
        } catch (IOException e) {
            // The assignments hold in memory; only a restart before the next successful write could renumber.
            LOG.error("profile assignments not written file={}: {}", file, e.toString());
        }
    }

    private void save() throws IOException {
        byte[] content;
        synchronized (this) {
            content = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(byMac);
        }
        StateFile.replace(file, content);
    }
}
