package lab.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lab.appliance.netns.ServerUnderTest;

/**
 * A server run under libfaketime (Debian's faketime package) whose system clock the test steps at will by writing
 * an offset such as {@code +2h} to a file; the monotonic clock is left alone, as a real step (NTP, date -s) would.
 */
final class FakeTimeServer implements ServerUnderTest {

    static final Path LIBFAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");

    private final ServerUnderTest server;
    private final Path offsetFile;

    FakeTimeServer(ServerUnderTest server, Path offsetFile) {
        this.server = server;
        this.offsetFile = offsetFile;
        step("+0");
    }

    /** Sets the system clock's offset from real time, in faketime's syntax ({@code +2h}, {@code -1h}, {@code +0}). */
    void step(String offset) {
        try {
            Files.writeString(offsetFile, offset + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write faketime offset " + offsetFile, e);
        }
    }

    @Override
    public String name() {
        return server.name() + "-faketime";
    }

    @Override
    public List<String> command(Path config, Path stateDir) {
        if (!Files.isRegularFile(LIBFAKETIME)) {
            throw new IllegalStateException(LIBFAKETIME + " is missing: install Debian's faketime package "
                + "(scripts/install-deps.sh does)");
        }
        List<String> command = new ArrayList<>(List.of("env", "LD_PRELOAD=" + LIBFAKETIME,
            "FAKETIME_TIMESTAMP_FILE=" + offsetFile, "FAKETIME_NO_CACHE=1", "FAKETIME_DONT_FAKE_MONOTONIC=1"));
        command.addAll(server.command(config, stateDir));
        return command;
    }

    @Override
    public String readyLine() {
        return server.readyLine();
    }
}
