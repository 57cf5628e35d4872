package lab.appliance.netns;

import java.util.List;

/**
 * The outcome of one command run to completion inside a namespace.
 *
 * @param command  the full command line, {@code ip netns exec …} included
 * @param exitCode the process's exit status
 * @param output   stdout and stderr, interleaved as the process wrote them
 */
public record CommandResult(List<String> command, int exitCode, String output) {

    public CommandResult {
        command = List.copyOf(command);
    }

    /** Returns this result, or fails naming the command, its status and its output. */
    public CommandResult requireSuccess() {
        if (exitCode != 0) {
            throw new IllegalStateException(describe());
        }
        return this;
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The command, its exit status and its output, for failure messages. */
    public String describe() {
        return String.join(" ", command) + " exited " + exitCode + ":\n" + output;
    }
}
