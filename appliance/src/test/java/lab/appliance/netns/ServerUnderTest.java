package lab.appliance.netns;

import java.nio.file.Path;
import java.util.List;

/** The DHCP server a namespace test runs: how to start it on a config and state dir, and how it says it is ready. */
public interface ServerUnderTest {

    /** A short name for logs and output files. */
    String name();

    /** The command line that runs the server in the foreground, inside the server namespace. */
    List<String> command(Path config, Path stateDir);

    /** A text the server prints once it is serving. */
    String readyLine();
}
