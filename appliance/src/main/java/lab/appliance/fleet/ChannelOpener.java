package lab.appliance.fleet;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import lab.appliance.state.StateFile;

/** Opens the fleet journal's files; {@link StateFile#open} (mode 0600) in production, a failing channel in tests. */
@FunctionalInterface
interface ChannelOpener {

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
