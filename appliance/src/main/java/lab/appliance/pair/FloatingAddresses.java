package lab.appliance.pair;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses a pair serves from (the appliance's network address and 169.254.169.254), on whichever node is
 * active. They are added with a short lifetime and renewed every heartbeat, so the kernel itself removes them from a
 * node whose appliance died without a word (kill -9, a hung JVM): by the time the standby takes over they are gone,
 * and no two nodes answer ARP for them. Taking them over is announced by gratuitous ARP, so clients and switches stop
 * sending to the old node's MAC at once rather than after their caches expire.
 */
final class FloatingAddresses {

    private static final Logger LOG = LoggerFactory.getLogger(FloatingAddresses.class);

    private final String interfaceName;
    private final List<String> cidrs;
    private final long lifetimeSeconds;
    private boolean warnedNoArping;

    /**
     * @param cidrs    address/prefix pairs, as {@code ip addr} takes them
     * @param lifetime how long an address outlives its last renewal; whole seconds, at least one
     */
    FloatingAddresses(String interfaceName, List<String> cidrs, Duration lifetime) {
        this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
        this.cidrs = List.copyOf(cidrs);
        this.lifetimeSeconds = Math.max(1, (lifetime.toMillis() + 999) / 1000);
    }

    List<String> cidrs() {
        return cidrs;
    }

    /** Adds the addresses or renews their lifetime; throws with iproute2's words when it cannot. */
    void hold() throws IOException {
        for (String cidr : cidrs) {
            Result result = run(List.of("ip", "addr", "replace", cidr, "dev", interfaceName, "valid_lft",
                    Long.toString(lifetimeSeconds), "preferred_lft", Long.toString(lifetimeSeconds)));
            if (result.status != 0) {
                throw new IOException("cannot hold " + cidr + " on " + interfaceName + ": " + result.output.trim()
                        + " (the appliance needs CAP_NET_ADMIN)");
            }
        }
    }

    /** Sends gratuitous ARP for every address (arping -U), without waiting for it. */
    void announce() {
        for (String cidr : cidrs) {
            String address = cidr.substring(0, cidr.indexOf('/'));
            try {
                new ProcessBuilder("arping", "-U", "-c", "2", "-I", interfaceName, address)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                if (!warnedNoArping) {
                    warnedNoArping = true;
                    LOG.warn("no gratuitous ARP sent after takeover (install iputils-arping): clients reach this node"
                            + " once their ARP entry for {} expires cause=\"{}\"", address, e.getMessage());
                }
            }
        }
    }

    /** Removes the addresses; what is already gone (expired) is no error. */
    void drop() {
        for (String cidr : cidrs) {
            try {
                Result result = run(List.of("ip", "addr", "del", cidr, "dev", interfaceName));
                if (result.status != 0 && !result.output.contains("Address not found")) {
                    LOG.warn("floating address not removed address={} interface={}: {}", cidr, interfaceName,
                            result.output.trim());
                }
            } catch (IOException e) {
                LOG.warn("floating address not removed address={} interface={}: {}", cidr, interfaceName,
                        e.toString());
            }
        }
    }

    private record Result(int status, String output) {
    }

    private static Result run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 10 s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " interrupted", e);
        }
    }
}
