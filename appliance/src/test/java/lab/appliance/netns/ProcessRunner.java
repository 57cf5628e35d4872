package lab.appliance.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a deadline, capturing its output; on timeout kills only what it started. */
final class ProcessRunner {

    private ProcessRunner() {
    }

    /** Runs {@code command}; a command still running at {@code timeout} is killed and reported as exit 124. */
    static CommandResult run(List<String> command, Duration timeout) {
        return run(command, timeout, "");
    }

    /** As {@link #run(List, Duration)} with {@code input} fed to the command's stdin. */
    static CommandResult run(List<String> command, Duration timeout, String input) {
        Path capture = null;
        try {
            capture = Files.createTempFile("netns-cmd-", ".out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(capture.toFile())
                    .start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                List<ProcessHandle> descendants = process.descendants().toList();
                process.destroyForcibly();
                descendants.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(capture, StandardCharsets.UTF_8);
            return new CommandResult(command, exited ? process.exitValue() : 124,
                    exited ? output : output + "\n[killed after " + timeout.toSeconds() + " s]");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        } finally {
            if (capture != null) {
                try {
                    Files.deleteIfExists(capture);
                } catch (IOException ignored) {
                    // A leftover temp file is harmless; the command's result matters more.
                }
            }
        }
    }
}
