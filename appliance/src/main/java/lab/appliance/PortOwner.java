package lab.appliance;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds which process holds a UDP port, from /proc, so that "address in use" can say "stop dnsmasq first" instead of
 * a bare errno. Best effort: empty when /proc cannot tell.
 */
final class PortOwner {

    private final Path proc;

    PortOwner(Path proc) {
        this.proc = proc;
    }

    /** "dnsmasq (pid 1234)" for the process holding UDP {@code port}, if it can be found. */
    Optional<String> ofUdpPort(int port) {
        try {
            Set<String> inodes = socketInodes(port);
            if (inodes.isEmpty()) {
                return Optional.empty();
            }
            try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
                for (Path pid : pids) {
                    if (holdsAny(pid, inodes)) {
                        String name = Files.readString(pid.resolve("comm")).trim();
                        return Optional.of(name + " (pid " + pid.getFileName() + ")");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private Set<String> socketInodes(int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        // A JVM's sockets are IPv6 sockets with mapped addresses, so both tables count.
        for (String table : List.of("net/udp", "net/udp6")) {
            Path file = proc.resolve(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(hexPort)) {
                    inodes.add("socket:[" + f[9] + "]");
                }
            }
        }
        return inodes;
    }

    private static boolean holdsAny(Path pid, Set<String> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException e) {
                    // The descriptor closed while we looked; keep going.
                }
            }
        } catch (IOException | SecurityException e) {
            return false;
        }
        return false;
    }
}
