package lab.appliance.netns;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * ISC dhclient on one host, with its own script, config, lease file and pid file in its directory (so it never
 * touches the host's resolv.conf or lease database).
 *
 * <p>It runs in the foreground ({@code -d}) until the script saves a binding, then is stopped with SIGTERM to
 * its PID, which ends dhclient without a RELEASE. Running it again on the same lease file starts in INIT-REBOOT
 * (RFC 2131 §4.3.2: REQUEST with the remembered address, no server id); the script reports that as
 * {@code REBOOT}, a fresh DORA as {@code BOUND}.
 */
public final class DhclientDriver implements DhcpClientDriver {

    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(60);

    private final ClientHost host;
    private final ClientScriptDir scripts;

    /** A driver on {@code host} keeping its files in {@code dir}; skips the test if the client is not installed. */
    public static DhclientDriver on(ClientHost host, Path dir) {
        DhcpClientKind.DHCLIENT.assumeInstalled();
        return new DhclientDriver(host, dir);
    }

    private DhclientDriver(ClientHost host, Path dir) {
        this.host = host;
        this.scripts = ClientScriptDir.create(dir, "dhclient-script.sh", "dhclient.conf");
    }

    @Override
    public String program() {
        return "dhclient";
    }

    /** DORA, or INIT-REBOOT when an earlier run left a lease in the lease file. */
    @Override
    public ClientLease obtain() {
        scripts.clearLease();
        BackgroundProcess process;
        try {
            process = host.namespace().spawn("dhclient", scripts.dir().resolve("dhclient.out"), command("-d", "-1"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dhclient in " + host.namespace().name(), e);
        }
        try (process) {
            await("dhclient binding in " + host.namespace().name())
                    .atMost(BIND_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> scripts.lease().isPresent() || !process.isAlive());
            return scripts.lease().map(this::toLease).orElseThrow(() -> new AssertionError(
                    "dhclient got no lease in " + host.namespace().name() + ":\n" + process.output()));
        }
    }

    /** Runs dhclient again on the same lease file: INIT-REBOOT for the address it holds. */
    public ClientLease reboot() {
        return obtain();
    }

    /** {@code dhclient -r}: sends DHCPRELEASE for the lease in the lease file and removes the address. */
    public CommandResult release() {
        return host.namespace().exec(BIND_TIMEOUT, command("-r")).requireSuccess();
    }

    /** Reasons the script saw so far ({@code PREINIT}, {@code BOUND}, {@code REBOOT}, {@code RELEASE}, …). */
    public List<String> events() {
        return scripts.events();
    }

    private List<String> command(String... mode) {
        List<String> command = new ArrayList<>(List.of("dhclient", "-4", "-v"));
        command.addAll(List.of(mode));
        command.addAll(List.of("-cf", scripts.path("dhclient.conf"), "-sf", scripts.path("dhclient-script.sh"),
                "-lf", scripts.path("dhclient.leases"), "-pf", scripts.path("dhclient.pid"), ClientHost.INTERFACE));
        return command;
    }

    private ClientLease toLease(ClientEnvironment env) {
        return new ClientLease("dhclient", env.text("reason"), env.address("new_ip_address"),
                env.prefixFromMask("new_subnet_mask"), env.addresses("new_routers"),
                env.addresses("new_domain_name_servers"), env.text("new_host_name"), env.text("new_domain_name"),
                env.routesFromRfc3442Bytes("new_rfc3442_classless_static_routes"),
                env.optionalInt("new_interface_mtu"), env.optionalAddress("new_dhcp_server_identifier"));
    }
}
