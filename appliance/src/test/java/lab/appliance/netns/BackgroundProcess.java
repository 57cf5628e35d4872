package lab.appliance.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A long-running process started by the lab inside a namespace, with its output captured to a file.
 *
 * <p>Signals go to this process's own PID only (and, when it is stopped for good, to the descendants it
 * started), never to processes found by name.
 */
public final class BackgroundProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Path outputFile;

    private BackgroundProcess(String name, List<String> command, Process process, Path outputFile) {
        this.name = name;
        this.command = List.copyOf(command);
        this.process = process;
        this.outputFile = outputFile;
    }

    /** Starts {@code command} with stdout and stderr appended to {@code outputFile}. */
    static BackgroundProcess start(String name, List<String> command, Path outputFile) throws IOException {
        Files.createDirectories(outputFile.getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        return new BackgroundProcess(name, command, process, outputFile);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path outputFile() {
        return outputFile;
    }

    /** Everything the process has written so far. */
    public String output() {
        try {
            return Files.exists(outputFile) ? Files.readString(outputFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read output of " + name + " from " + outputFile, e);
        }
    }

    /** Sends {@code signal} (a name such as {@code USR1} or {@code KILL}) to this process's PID. */
    public void signal(String signal) {
        CommandResult result = ProcessRunner.run(
                List.of("kill", "-s", signal, Long.toString(process.pid())), Duration.ofSeconds(10));
        if (!result.succeeded() && process.isAlive()) {
            throw new IllegalStateException("cannot signal " + name + ": " + result.describe());
        }
    }

    /** Sends SIGTERM and waits for exit; returns the exit status. */
    public int terminate(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    /** SIGKILL to the PID (a crash, not a shutdown), then waits for the exit to be reaped. */
    public int kill(Duration timeout) {
        signal("KILL");
        return awaitExit(timeout);
    }

    /** Waits for the process to exit on its own; fails with its output if it does not in time. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not exit within " + timeout.toSeconds()
                        + " s: " + String.join(" ", command) + "\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
        return process.exitValue();
    }

    /** Stops the process and whatever it started, forcibly if SIGTERM is not enough. */
    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }
}
