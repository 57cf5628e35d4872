package lab.appliance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 169.254.169.254/32 on the served interface while the appliance runs, so that Ec2 and OpenStack requests routed to
 * it by option 121 land on the metadata server. Added with iproute2 (the JDK cannot configure addresses) at start,
 * removed at stop; an address that was already there is left in place at stop.
 */
final class LinkLocalAddress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LinkLocalAddress.class);
    static final String ADDRESS = "169.254.169.254/32";

    private final String interfaceName;
    private boolean added;

    LinkLocalAddress(String interfaceName) {
        this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
    }

    /** Adds the address; throws with iproute2's own words when it cannot. */
    void add() throws IOException {
        Result shown = run(List.of("ip", "-4", "-o", "addr", "show", "dev", interfaceName));
        if (shown.status == 0 && shown.output.contains(" 169.254.169.254/32 ")) {
            LOG.info("metadata address already present address={} interface={}", ADDRESS, interfaceName);
            return;
        }
        Result result = run(List.of("ip", "addr", "add", ADDRESS, "dev", interfaceName));
        if (result.status != 0) {
            throw new IOException("cannot add " + ADDRESS + " to " + interfaceName + ": " + result.output.trim()
                    + " (the appliance needs CAP_NET_ADMIN, or set metadata.link-local: false)");
        }
        added = true;
        LOG.info("metadata address added address={} interface={}", ADDRESS, interfaceName);
    }

    @Override
    public void close() {
        if (!added) {
            return;
        }
        try {
            Result result = run(List.of("ip", "addr", "del", ADDRESS, "dev", interfaceName));
            if (result.status != 0) {
                LOG.warn("metadata address not removed interface={}: {}", interfaceName, result.output.trim());
            } else {
                LOG.info("metadata address removed address={} interface={}", ADDRESS, interfaceName);
            }
        } catch (IOException e) {
            LOG.warn("metadata address not removed interface={}: {}", interfaceName, e.toString());
        }
        added = false;
    }

    private record Result(int status, String output) {
    }

    private static Result run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 10 s");
            }
            return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " interrupted", e);
        }
    }
}
