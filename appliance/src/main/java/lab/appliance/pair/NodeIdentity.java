package lab.appliance.pair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** How a node describes itself to its pair: the machine's host name and this build's version. */
public final class NodeIdentity {

    private NodeIdentity() {
    }

    /** The kernel's host name (as {@code hostname} prints it), or "unknown". */
    public static String hostName() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/sys/kernel/hostname"));
            return lines.isEmpty() || lines.get(0).isBlank() ? "unknown" : lines.get(0).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The version Maven wrote into the jar's manifest, or "development". */
    public static String version() {
        String version = NodeIdentity.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
