package lab.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lab.appliance.netns.CommandResult;

/** Runs a command on the test host (mount, losetup, mkfs), bounded in time, output and exit status kept. */
final class HostCommand {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private HostCommand() {
    }

    /** Runs {@code command} and fails, with its output, unless it exits 0. */
    static CommandResult require(String... command) {
        return run(command).requireSuccess();
    }

    static CommandResult run(String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process process = builder.start();
            byte[] output;
            try (var in = process.getInputStream()) {
                output = in.readAllBytes();
            }
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                        + TIMEOUT.toSeconds() + " s");
            }
            return new CommandResult(List.of(command), process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }
}
