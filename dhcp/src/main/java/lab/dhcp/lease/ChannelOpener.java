package lab.dhcp.lease;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Opens the journal's files; {@link #OWNER_ONLY} in production, a failing channel in tests. */
@FunctionalInterface
interface ChannelOpener {

    /** Mode 0600 for a file the options create: the journal names every VM's MAC, address and hostname. */
    FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /** {@link FileChannel#open}, creating files with mode 0600 from the start (never chmod-ed afterwards). */
    ChannelOpener OWNER_ONLY = (path, options) -> FileChannel.open(path, Set.of(options), OWNER_ONLY_FILE);

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
