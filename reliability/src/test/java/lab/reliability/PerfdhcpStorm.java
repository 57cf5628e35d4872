package lab.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.Namespace;
import lab.appliance.netns.NetnsLab;
import lab.dhcp.MacAddress;

/**
 * perfdhcp (Kea's load generator) in a namespace, acting as a relay: full DORA exchanges for new client MACs at a
 * fixed rate, sent from port 67 with {@code giaddr} = its own address, so the server answers by unicast to it.
 */
final class PerfdhcpStorm implements AutoCloseable {

    /** perfdhcp counts MACs up from a base: the first storm's clients start here, later ones further on. */
    static final long FIRST_MAC = 0x02_00_00_00_00_00L;

    private final BackgroundProcess perfdhcp;

    private PerfdhcpStorm(BackgroundProcess perfdhcp) {
        this.perfdhcp = perfdhcp;
    }

    /**
     * Starts the storm: up to {@code clients} MACs counted up from {@code macBase}, {@code rate} exchanges a second,
     * for at most {@code bound} (whole seconds, at least one); output to {@code outputFile}.
     */
    static PerfdhcpStorm start(NetnsLab lab, Namespace namespace, String relayAddress, String serverAddress,
            long macBase, int clients, int rate, Duration bound, Path outputFile) throws IOException {
        long seconds = Math.max(1, bound.toSeconds());
        return new PerfdhcpStorm(lab.track(namespace.spawn("perfdhcp", outputFile, List.of("perfdhcp", "-4",
                "-g", "single", "-l", relayAddress, "-b", "mac=" + new MacAddress(macBase),
                "-R", Integer.toString(clients), "-r", Integer.toString(rate), "-p", Long.toString(seconds),
                "-W", "100000", serverAddress))));
    }

    /** Stops perfdhcp by its PID (SIGTERM, then SIGKILL if it lingers). */
    @Override
    public void close() {
        perfdhcp.close();
    }
}
