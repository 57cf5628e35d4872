package lab.appliance.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the appliance keeps its small state documents (profile assignments, the admin API's VM changes, the password
 * ledger), each named by the file it has in the state directory: those files, or rows of the shared PostgreSQL
 * database, so that both nodes of a pair read the same ones.
 */
public interface StateDocuments {

    /** The files in the state directory, each replaced whole by {@link StateFile#replace}. */
    StateDocuments FILES = new StateDocuments() {
        @Override
        public Optional<byte[]> read(Path file) throws IOException {
            return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        }

        @Override
        public void replace(Path file, byte[] content) throws IOException {
            StateFile.replace(file, content);
        }

        @Override
        public String where(Path file) {
            return file.toString();
        }
    };

    /** The document that lives, or would live, at {@code file}; empty if it was never written. */
    Optional<byte[]> read(Path file) throws IOException;

    /** Replaces the document whole, durably: after a crash it is the old one or this one. */
    void replace(Path file, byte[] content) throws IOException;

    /** Where the document is, for errors and logs. */
    String where(Path file);
}
