package lab.appliance.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * dhcpcd on one host, one-shot in the foreground ({@code -4 -1 -B}), with its own config and hook script.
 * It runs under {@code unshare -m} with tmpfs over {@code /run} and {@code /var/lib/dhcpcd}, so parallel
 * instances never share a pid file, control socket or DUID with each other or the host. dhcpcd ARP-probes the
 * offered address and sends DHCPDECLINE if another host answers for it.
 */
public final class DhcpcdDriver implements DhcpClientDriver {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

    private final ClientHost host;
    private final ClientScriptDir scripts;

    /** A driver on {@code host} keeping its files in {@code dir}; skips the test if the client is not installed. */
    public static DhcpcdDriver on(ClientHost host, Path dir) {
        DhcpClientKind.DHCPCD.assumeInstalled();
        return new DhcpcdDriver(host, dir);
    }

    private DhcpcdDriver(ClientHost host, Path dir) {
        this.host = host;
        this.scripts = ClientScriptDir.create(dir, "dhcpcd-hook.sh", "dhcpcd.conf");
    }

    @Override
    public String program() {
        return "dhcpcd";
    }

    @Override
    public ClientLease obtain() {
        try (BackgroundProcess process = start()) {
            int status = process.awaitExit(RUN_TIMEOUT);
            if (status != 0) {
                throw new AssertionError("dhcpcd exited " + status + " in " + host.namespace().name() + ":\n"
                        + process.output());
            }
            return scripts.lease().map(DhcpcdDriver::toLease).orElseThrow(() -> new AssertionError(
                    "dhcpcd exited 0 but its hook saved no binding:\n" + process.output()));
        }
    }

    /** Starts dhcpcd in the background; its wait for a lease is bounded by dhcpcd's own {@code -t 60}. */
    public BackgroundProcess start() {
        scripts.clearLease();
        String dhcpcd = String.join(" ", List.of("exec", "dhcpcd", "-4", "-1", "-B", "-d", "-t", "60",
                "-f", quote(scripts.path("dhcpcd.conf")), "-c", quote(scripts.path("dhcpcd-hook.sh")),
                ClientHost.INTERFACE));
        String shell = "mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/lib/dhcpcd && " + dhcpcd;
        try {
            return host.namespace().spawn("dhcpcd", scripts.dir().resolve("dhcpcd.out"),
                    List.of("unshare", "-m", "--propagation", "private", "sh", "-c", shell));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dhcpcd in " + host.namespace().name(), e);
        }
    }

    /** Reasons the hook saw so far ({@code PREINIT}, {@code CARRIER}, {@code BOUND}, …). */
    public List<String> events() {
        return scripts.events();
    }

    private static String quote(String path) {
        return "'" + path.replace("'", "'\\''") + "'";
    }

    private static ClientLease toLease(ClientEnvironment env) {
        return new ClientLease("dhcpcd", env.text("reason"), env.address("new_ip_address"),
                env.prefixFromMask("new_subnet_mask"), env.addresses("new_routers"),
                env.addresses("new_domain_name_servers"), env.text("new_host_name"), env.text("new_domain_name"),
                env.routesFromPairs("new_classless_static_routes"), env.optionalInt("new_interface_mtu"),
                env.optionalAddress("new_dhcp_server_identifier"));
    }
}
