package lab.appliance.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import lab.appliance.state.StateDocuments;
import lab.pgstore.PgDocuments;

/** The state documents as rows of the shared database, named by their file names, the same on every node. */
public final class DatabaseStateDocuments implements StateDocuments {

    private final PgDocuments documents;

    public DatabaseStateDocuments(PgDocuments documents) {
        this.documents = Objects.requireNonNull(documents, "documents");
    }

    @Override
    public Optional<byte[]> read(Path file) throws IOException {
        return documents.read(file.getFileName().toString());
    }

    @Override
    public void replace(Path file, byte[] content) throws IOException {
        documents.replace(file.getFileName().toString(), content);
    }

    @Override
    public String where(Path file) {
        return documents.where(file.getFileName().toString());
    }
}
