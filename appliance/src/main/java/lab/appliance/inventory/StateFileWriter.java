package lab.appliance.inventory;

import java.io.IOException;
import java.nio.file.Path;
import lab.appliance.state.StateFile;

/** Writes a state file whole: {@link StateFile#replace} in production, one that fails like a full disk in tests. */
@FunctionalInterface
interface StateFileWriter {

    void replace(Path file, byte[] content) throws IOException;
}
