package lab.reliability;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.ClientHost;

/**
 * A busybox udhcpc that never gives up: no {@code -n}, one-second retransmissions ({@code -t 3 -T 1 -A 1}), as a VM
 * waiting for its lease at boot does. It runs the namespace kit's {@code udhcpc-script.sh} from a copy in its own
 * directory, so its events and last binding land there. The kit's driver exits after 10 tries ({@code -n}), before a
 * disk outage of a test's length is over.
 */
final class RetryingUdhcpc implements AutoCloseable {

    private final Path dir;
    private final BackgroundProcess process;

    private RetryingUdhcpc(Path dir, BackgroundProcess process) {
        this.dir = dir;
        this.process = process;
    }

    /** Starts it on {@code host}, sending {@code hostname} (option 12) if not empty; files in {@code dir}. */
    static RetryingUdhcpc start(ClientHost host, Path dir, String hostname) {
        Path script = dir.resolve("udhcpc-script.sh");
        try (InputStream in = RetryingUdhcpc.class.getResourceAsStream("/netns/udhcpc-script.sh")) {
            if (in == null) {
                throw new IllegalStateException("test resource netns/udhcpc-script.sh is missing");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the udhcpc script to " + dir, e);
        }
        List<String> command = new ArrayList<>(List.of("udhcpc", "-f", "-i", ClientHost.INTERFACE,
                "-t", "3", "-T", "1", "-A", "1", "-s", script.toString()));
        if (!hostname.isEmpty()) {
            command.addAll(List.of("-x", "hostname:" + hostname));
        }
        try {
            return new RetryingUdhcpc(dir, host.namespace().spawn("udhcpc", dir.resolve("udhcpc.out"), command));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start udhcpc in " + host.namespace().name(), e);
        }
    }

    /** How many times the script saw {@code event} ({@code bound}, {@code renew}, {@code deconfig}, …). */
    long count(String event) {
        Path file = dir.resolve("events");
        try {
            return Files.exists(file)
                    ? Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(event::equals).count() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Waits until the script has seen {@code event} {@code times} times. */
    void awaitEvent(String event, long times, Duration deadline) {
        await("udhcpc " + event + " #" + times + " (" + process.name() + ")")
                .atMost(deadline)
                .pollInterval(Duration.ofMillis(50))
                .failFast("udhcpc exited:\n" + process.output(), () -> !process.isAlive())
                .until(() -> count(event) >= times);
    }

    /** The address of its last binding. */
    Optional<String> address() {
        Path file = dir.resolve("lease.env");
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("ip="))
                    .map(l -> l.substring(3)).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** SIGUSR1: a bound udhcpc unicasts a REQUEST with ciaddr (RENEWING, RFC 2131 §4.3.2). */
    void renew() {
        process.signal("USR1");
    }

    BackgroundProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
