package lab.appliance.netns;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A network namespace created by the lab; commands run inside it through {@code ip netns exec}. */
public record Namespace(String name) {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Runs {@code command} inside this namespace with a 30 s deadline. */
    public CommandResult exec(String... command) {
        return exec(DEFAULT_TIMEOUT, command);
    }

    public CommandResult exec(Duration timeout, String... command) {
        return ProcessRunner.run(inside(List.of(command)), timeout);
    }

    public CommandResult exec(Duration timeout, List<String> command) {
        return ProcessRunner.run(inside(command), timeout);
    }

    /** Runs {@code ip -batch -} in this namespace, one iproute2 command per line of {@code script}. */
    public CommandResult ipBatch(String script) {
        return ProcessRunner.run(List.of("ip", "-n", name, "-batch", "-"), DEFAULT_TIMEOUT, script);
    }

    /** Starts {@code command} in the background inside this namespace, output appended to {@code outputFile}. */
    public BackgroundProcess spawn(String processName, Path outputFile, List<String> command) throws IOException {
        return BackgroundProcess.start(processName + "@" + name, inside(command), outputFile);
    }

    private List<String> inside(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }
}
