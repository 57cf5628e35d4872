package lab.appliance.inventory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;
import lab.appliance.state.StateDocuments;

/**
 * {@value #NAME} in the state directory: the {@link InventoryChanges} made through the admin API. Saved as a new
 * file ({@code inventory-changes.json.tmp}), forced and renamed over the old one, so a crash leaves either version whole.
 */
public final class InventoryChangesFile {

    public static final String NAME = "inventory-changes.json";

    private record Stored(int version, Map<String, Map<String, Object>> put, List<String> removed) {
    }

    private final Path file;
    private final StateDocuments documents;
    private final ObjectMapper json = new ObjectMapper();

    public InventoryChangesFile(Path stateDir) {
        this(stateDir, StateDocuments.FILES);
    }

    /** The changes kept in {@code documents} (the state directory's file, or the pair's shared database). */
    public InventoryChangesFile(Path stateDir, StateDocuments documents) {
        Objects.requireNonNull(stateDir, "stateDir");
        this.file = stateDir.resolve(NAME);
        this.documents = Objects.requireNonNull(documents, "documents");
    }

    /** The file the changes have in the state directory (their document's name when they live in a database). */
    public Path path() {
        return file;
    }

    /** Where the changes are, for messages. */
    public String where() {
        return documents.where(file);
    }

    /** The saved changes; none if the file does not exist. */
    public InventoryChanges load() throws IOException {
        Optional<byte[]> content = documents.read(file);
        if (content.isEmpty()) {
            return InventoryChanges.NONE;
        }
        try {
            Stored stored = json.readValue(content.get(), new TypeReference<Stored>() { });
            return new InventoryChanges(stored.put() == null ? Map.of() : stored.put(),
                    stored.removed() == null ? Set.of() : Set.copyOf(stored.removed()));
        } catch (IOException e) {
            throw new IOException("cannot read " + where() + ": " + e.getMessage(), e);
        }
    }

    public void save(InventoryChanges changes) throws IOException {
        byte[] bytes = json.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new Stored(1, changes.put(), List.copyOf(changes.removed())));
        documents.replace(file, bytes);
    }
}
