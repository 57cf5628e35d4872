package lab.metadata.link;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's IPv4 neighbour table of the process's network namespace, read from {@code /proc/net/arp}.
 *
 * <p>That file is the kernel's stable text view of the table (one header line, then "IP, HW type, flags, HW address,
 * mask, device" per entry); Java has no API for it and netlink would need native code, so it is read directly. Only
 * complete entries ({@code ATF_COM}) count: an incomplete one carries no MAC. Read on every call, never cached, so a
 * takeover of an address is seen at once.
 */
public final class KernelNeighbourTable implements NeighbourTable {

    private static final Logger LOG = LoggerFactory.getLogger(KernelNeighbourTable.class);
    private static final Path PROC_NET_ARP = Path.of("/proc/net/arp");
    private static final int ATF_COM = 0x02;

    private final Path file;
    private final AtomicBoolean warned = new AtomicBoolean();

    /** The table of this process's network namespace. */
    public KernelNeighbourTable() {
        this(PROC_NET_ARP);
    }

    KernelNeighbourTable(Path file) {
        this.file = file;
    }

    @Override
    public Optional<String> macOf(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return Optional.empty();
        }
        String wanted = address.getHostAddress();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            reader.readLine();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length >= 4 && fields[0].equals(wanted) && isComplete(fields[2])) {
                    return Optional.of(fields[3].toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            // Without the table no caller can be checked; say so once rather than refuse every VM.
            if (!warned.getAndSet(true)) {
                LOG.warn("neighbour table unreadable, callers' MACs are not checked file={} cause={}", file,
                    e.toString());
            }
        }
        return Optional.empty();
    }

    private static boolean isComplete(String flags) {
        try {
            return (Integer.decode(flags) & ATF_COM) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
