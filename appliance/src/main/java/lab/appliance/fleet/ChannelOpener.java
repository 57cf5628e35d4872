package lab.appliance.fleet;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/** Opens the fleet journal's files; {@code FileChannel::open} in production, a failing channel in tests. */
@FunctionalInterface
interface ChannelOpener {

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
