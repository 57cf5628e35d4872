package lab.appliance.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * busybox udhcpc on one host with its own script. {@link #obtain()} runs {@code -f -q -n} (one binding, then
 * exit); {@link #startSession()} keeps it running so a test can make it RENEW (SIGUSR1) and RELEASE (SIGTERM
 * with {@code -R}).
 */
public final class UdhcpcDriver implements DhcpClientDriver {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    private final ClientHost host;
    private final ClientScriptDir scripts;
    /** Options beyond the common ones: a vendor class, a hostname to send. */
    private final List<String> extraOptions;

    /** A driver on {@code host} keeping its files in {@code dir}; skips the test if the client is not installed. */
    public static UdhcpcDriver on(ClientHost host, Path dir) {
        DhcpClientKind.UDHCPC.assumeInstalled();
        return new UdhcpcDriver(host, dir, List.of());
    }

    /** The same, sending {@code vendorClass} as option 60 ({@code -V}) instead of busybox's "udhcp VERSION". */
    public static UdhcpcDriver on(ClientHost host, Path dir, String vendorClass) {
        DhcpClientKind.UDHCPC.assumeInstalled();
        return new UdhcpcDriver(host, dir, List.of("-V", vendorClass));
    }

    /** The same, sending {@code hostname} as option 12 ({@code -x hostname:NAME}), as a VM's DHCP client does. */
    public static UdhcpcDriver sendingHostname(ClientHost host, Path dir, String hostname) {
        DhcpClientKind.UDHCPC.assumeInstalled();
        return new UdhcpcDriver(host, dir, List.of("-x", "hostname:" + hostname));
    }

    /**
     * The same, but never giving up, as a booting VM's client does: without {@code -n}, and trying again one second
     * after a failed round ({@code -A 1}; busybox waits 20 s by default), so it outlasts a server that dies mid-DORA.
     */
    public static UdhcpcDriver persistent(ClientHost host, Path dir) {
        DhcpClientKind.UDHCPC.assumeInstalled();
        return new UdhcpcDriver(host, dir, List.of("-A", "1"));
    }

    private UdhcpcDriver(ClientHost host, Path dir, List<String> extraOptions) {
        this.host = host;
        this.scripts = ClientScriptDir.create(dir, "udhcpc-script.sh");
        this.extraOptions = List.copyOf(extraOptions);
    }

    @Override
    public String program() {
        return "udhcpc";
    }

    @Override
    public ClientLease obtain() {
        scripts.clearLease();
        CommandResult result = host.namespace().exec(RUN_TIMEOUT, command("-q"));
        if (!result.succeeded()) {
            throw new AssertionError("udhcpc got no lease in " + host.namespace().name() + ": " + result.describe());
        }
        return latestLease().orElseThrow(() -> new AssertionError(
                "udhcpc exited 0 but its script saved no binding: " + result.describe()));
    }

    /** Runs udhcpc once and reports whether it bound, for tests that expect no address to be given. */
    public CommandResult tryOnce() {
        scripts.clearLease();
        return host.namespace().exec(RUN_TIMEOUT, command("-q"));
    }

    /** Starts a udhcpc that stays in the foreground and releases its lease when terminated. */
    public UdhcpcSession startSession() {
        scripts.clearLease();
        try {
            BackgroundProcess process = host.namespace().spawn("udhcpc", scripts.dir().resolve("udhcpc.out"),
                    command("-R"));
            return new UdhcpcSession(process, this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start udhcpc in " + host.namespace().name(), e);
        }
    }

    /** Events the script saw so far ({@code deconfig}, {@code bound}, {@code renew}, …). */
    public List<String> events() {
        return scripts.events();
    }

    java.util.Optional<ClientLease> latestLease() {
        return scripts.lease().map(UdhcpcDriver::toLease);
    }

    private List<String> command(String mode) {
        List<String> command = new ArrayList<>(List.of("udhcpc", "-f", mode, "-i", ClientHost.INTERFACE,
                "-t", "10", "-T", "2", "-O", "staticroutes", "-O", "hostname", "-O", "domain", "-O", "ntpsrv",
                "-O", "mtu", "-s", scripts.path("udhcpc-script.sh")));
        if (!extraOptions.contains("-A")) {
            command.add(2, "-n");
        }
        command.addAll(extraOptions);
        return command;
    }

    private static ClientLease toLease(ClientEnvironment env) {
        return new ClientLease("udhcpc", env.text("reason"), env.address("ip"), env.prefixFromMask("subnet"),
                env.addresses("router"), env.addresses("dns"), env.text("hostname"), env.text("domain"),
                env.routesFromPairs("staticroutes"), env.optionalInt("mtu"), env.optionalAddress("serverid"));
    }
}
