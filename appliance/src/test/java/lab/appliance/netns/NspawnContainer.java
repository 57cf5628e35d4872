package lab.appliance.netns;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Debian root filesystem run by systemd-nspawn: first unbooted, one command at a time in the host's network (so apt
 * reaches the mirror if it has to), then booted with systemd as its PID 1 inside a lab namespace, where commands run
 * through nsenter into the booted machine's namespaces.
 *
 * <p>On the build machines PID 1 is not systemd: there is no machined to register with and no manager to ask for a
 * scope unit, hence {@code --register=no --keep-unit} (harmless on a systemd host too). So machinectl and
 * {@code systemd-run -M} cannot reach the container; nsenter can. It is stopped by SIGTERM to the nspawn process
 * this object started, which shuts the container down in order.
 */
public final class NspawnContainer implements AutoCloseable {

    /** A clean environment for commands inside: no host variables leak into maintainer scripts. */
    private static final List<String> ENVIRONMENT = List.of("env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG=C.UTF-8", "DEBIAN_FRONTEND=noninteractive");
    private static final Pattern EXIT_NOTICE =
            Pattern.compile("Attempted to remove disk file system under \"[^\"]*\", and we can't allow that\\.\n?");
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(2);
    /** One {@code is-system-running --wait}: it returns at once while the container's bus is not up yet. */
    private static final Duration BOOT_POLL_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);

    private final Path root;
    private final String machine;
    private BackgroundProcess nspawn;
    private long leader;

    /** A container on the unpacked root {@code root}, named {@code machine} (its hostname-like nspawn name). */
    public NspawnContainer(Path root, String machine) {
        this.root = Objects.requireNonNull(root, "root");
        this.machine = Objects.requireNonNull(machine, "machine");
    }

    public Path root() {
        return root;
    }

    /** The path {@code absolutePath} of the container (e.g. {@code /etc/appliance}) as seen from the host. */
    public Path file(String absolutePath) {
        return root.resolve(absolutePath.replaceFirst("^/+", ""));
    }

    /** Runs {@code command} in the unbooted root, from {@code /root}, in the host's network. */
    public CommandResult runUnbooted(Duration timeout, String... command) {
        if (nspawn != null) {
            throw new IllegalStateException(machine + " is booted: use exec");
        }
        List<String> full = new ArrayList<>(List.of("systemd-nspawn", "--quiet", "--directory=" + root,
                "--machine=" + machine, "--register=no", "--keep-unit", "--pipe", "--chdir=/root"));
        full.addAll(ENVIRONMENT);
        full.addAll(List.of(command));
        return withoutExitNotice(ProcessRunner.run(full, timeout));
    }

    /**
     * Boots the root with systemd in the network namespace {@code network} (its interfaces are the container's) and
     * waits until systemd reports the boot finished ({@code running}, or {@code degraded} if some unit failed).
     * The console goes to {@code consoleLog}; the returned process is nspawn, for the lab to print on failure.
     */
    public BackgroundProcess boot(Namespace network, Path consoleLog) throws IOException {
        if (nspawn != null) {
            throw new IllegalStateException(machine + " is already booted");
        }
        nspawn = BackgroundProcess.start("nspawn-" + machine, List.of("systemd-nspawn", "--quiet",
                "--directory=" + root, "--machine=" + machine, "--register=no", "--keep-unit", "--boot",
                "--network-namespace-path=/run/netns/" + network.name(),
                // nspawn keeps CAP_NET_ADMIN only for networks it made itself; this namespace is the container's
                // alone, and the unit grants the capability to the appliance (it adds 169.254.169.254 to lab0).
                "--capability=CAP_NET_ADMIN", "--console=read-only"), consoleLog);
        leader = awaitLeader();
        await("boot of " + machine).atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!nspawn.isAlive()) {
                        throw new IllegalStateException(machine + " exited while booting:\n" + nspawn.output());
                    }
                    String state = exec(BOOT_POLL_TIMEOUT, "systemctl", "is-system-running", "--wait").output().strip();
                    return state.equals("running") || state.equals("degraded");
                });
        return nspawn;
    }

    /** Runs {@code command} inside the booted container: its mount, PID, network, UTS, IPC and cgroup namespaces. */
    public CommandResult exec(Duration timeout, String... command) {
        if (leader == 0) {
            throw new IllegalStateException(machine + " is not booted");
        }
        List<String> full = new ArrayList<>(List.of("nsenter", "--target", Long.toString(leader), "--all",
                "--root", "--wd"));
        full.addAll(ENVIRONMENT);
        full.addAll(List.of(command));
        return ProcessRunner.run(full, timeout);
    }

    /** Shuts the container down (SIGTERM to nspawn: an orderly poweroff), killing it if that does not finish. */
    @Override
    public void close() {
        if (nspawn == null) {
            return;
        }
        try {
            if (nspawn.isAlive()) {
                nspawn.terminate(SHUTDOWN_TIMEOUT);
            }
        } catch (IllegalStateException e) {
            System.out.println(machine + " did not shut down in " + SHUTDOWN_TIMEOUT.toSeconds() + " s; killing it");
        } finally {
            nspawn.close();
            nspawn = null;
            leader = 0;
        }
    }

    /**
     * {@code result} without the line nspawn 252 prints at exit on a host whose {@code /run} is not a tmpfs ("Attempted
     * to remove disk file system under /run/systemd/nspawn/propagate/…"): it concerns nspawn's own scratch directory,
     * and it would end every command's output.
     */
    private static CommandResult withoutExitNotice(CommandResult result) {
        // Not always on a line of its own: it follows whatever the command wrote last, newline or not.
        String output = EXIT_NOTICE.matcher(result.output()).replaceAll("");
        return new CommandResult(result.command(), result.exitCode(), output);
    }

    /**
     * The container's PID 1 as the host sees it: nspawn's child in a PID namespace of its own. nspawn's first child
     * shares ours and exits once it has forked the container's init, which nspawn then reaps as a subreaper.
     */
    private long awaitLeader() {
        String ours = pidNamespace(ProcessHandle.current().pid()).orElseThrow();
        await("PID 1 of " + machine).atMost(LEADER_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> !nspawn.isAlive() || containerInit(ours).isPresent());
        return containerInit(ours).orElseThrow(() -> new IllegalStateException(
                machine + " exited before its init started:\n" + nspawn.output()));
    }

    private Optional<Long> containerInit(String hostPidNamespace) {
        return ProcessHandle.of(nspawn.pid()).stream().flatMap(ProcessHandle::children).map(ProcessHandle::pid)
                .filter(pid -> pidNamespace(pid).filter(ns -> !ns.equals(hostPidNamespace)).isPresent())
                .findFirst();
    }

    private static Optional<String> pidNamespace(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid")).toString());
        } catch (IOException e) {
            return Optional.empty(); // exited meanwhile
        }
    }
}
