package lab.appliance.netns;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.dhcp.MacAddress;
import org.junit.jupiter.api.Assumptions;

/**
 * A second lab segment behind a DHCP relay, added to a {@link NetnsLab}: a relay namespace with {@code ra0} =
 * 10.20.0.254/16 on the lab bridge and {@code rb0} = 10.30.0.1/24 on a bridge of its own (in a namespace of its own),
 * forwarding IPv4 (inside the relay namespace only) and running ISC {@code dhcrelay} towards the appliance; client
 * namespaces on the second bridge; and in the appliance's namespace a route to 10.30.0.0/24 via the relay, so replies
 * to giaddr and metadata answers find their way back.
 *
 * <p>Names are {@code rsn-<jvm pid>-…}, apart from NetnsLab's {@code apt-…}, so neither lab's clean-up can take the
 * other's namespaces; leftovers of a run whose JVM is gone are removed first. Only the relay's veth reaches into the
 * lab's switch namespace, under the name {@code rlyA}. Nothing appears on the host.
 */
public final class RelayedSegment implements AutoCloseable {

    /** The relay's address on the lab network: the way back to the relayed segment. */
    public static final String RELAY_LAB_ADDRESS = "10.20.0.254";
    /** The relay's address on its segment: giaddr, and the segment's router. */
    public static final String RELAY_SEGMENT_ADDRESS = "10.30.0.1";
    public static final String SEGMENT = "10.30.0.0/24";

    private static final Pattern OUR_NAMESPACE = Pattern.compile("^rsn-(\\d+)-\\S+");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String prefix = "rsn-" + ProcessHandle.current().pid();
    private final Namespace relay = new Namespace(prefix + "-relay");
    private final Namespace bridge = new Namespace(prefix + "-swb");
    private final List<ClientHost> clients = new ArrayList<>();
    private BackgroundProcess dhcrelay;

    private RelayedSegment() {
    }

    /**
     * Builds the segment on {@code lab} with one client namespace per MAC, and starts dhcrelay; skips the test when
     * dhcrelay is not installed.
     */
    public static RelayedSegment on(NetnsLab lab, List<MacAddress> clientMacs) throws IOException {
        Assumptions.assumeTrue(Executables.onPath("dhcrelay"),
                "RelayedSubnetIT needs ISC dhcrelay (apt-get install isc-dhcp-relay)");
        RelayedSegment segment = new RelayedSegment();
        removeStale();
        try {
            segment.build(lab, clientMacs);
        } catch (RuntimeException | IOException e) {
            segment.close();
            throw e;
        }
        return segment;
    }

    /** The client at {@code index} on the relayed segment, in the order given. */
    public ClientHost client(int index) {
        return clients.get(index);
    }

    /** Routes the metadata address via the segment's router, as a client that applied option 121 would. */
    public void routeMetadataViaRelay(ClientHost client) {
        client.namespace().exec("ip", "route", "replace", "169.254.169.254/32", "via", RELAY_SEGMENT_ADDRESS, "dev",
                ClientHost.INTERFACE).requireSuccess();
    }

    /**
     * Routes everything from {@code client} through the relay, as the lease's option 121 default route would (the
     * test's DHCP client script only records the lease).
     */
    public void routeDefaultViaRelay(ClientHost client) {
        client.namespace().exec("ip", "route", "replace", "default", "via", RELAY_SEGMENT_ADDRESS, "dev",
                ClientHost.INTERFACE).requireSuccess();
    }

    /** dhcrelay's output so far, for failure messages. */
    public String relayOutput() {
        return dhcrelay == null ? "(dhcrelay not started)" : dhcrelay.output();
    }

    private void build(NetnsLab lab, List<MacAddress> clientMacs) throws IOException {
        StringBuilder add = new StringBuilder("netns add " + relay.name() + "\nnetns add " + bridge.name() + "\n");
        for (int i = 0; i < clientMacs.size(); i++) {
            Namespace ns = new Namespace(String.format(Locale.ROOT, "%s-c%03d", prefix, i + 1));
            clients.add(new ClientHost(ns, clientMacs.get(i)));
            add.append("netns add ").append(ns.name()).append('\n');
        }
        ProcessRunner.run(List.of("ip", "-batch", "-"), TIMEOUT, add.toString()).requireSuccess();

        relay.ipBatch("link set lo up\n"
                + "link add ra0 type veth peer name rlyA netns " + lab.switchNamespace().name() + "\n"
                + "link add rb0 type veth peer name rlyB netns " + bridge.name() + "\n"
                + "addr add " + RELAY_LAB_ADDRESS + "/16 dev ra0\nlink set ra0 up\n"
                + "addr add " + RELAY_SEGMENT_ADDRESS + "/24 dev rb0\nlink set rb0 up\n"
                + "route add 169.254.169.254/32 via 10.20.0.1\n").requireSuccess();
        lab.switchNamespace().ipBatch("link set rlyA master br0\nlink set rlyA up\n").requireSuccess();

        StringBuilder wiring = new StringBuilder("link add brB type bridge\nlink set brB up\n"
                + "link set rlyB master brB\nlink set rlyB up\n");
        for (int i = 0; i < clients.size(); i++) {
            ClientHost c = clients.get(i);
            String port = String.format(Locale.ROOT, "c%03d", i + 1);
            wiring.append("link add ").append(port).append(" type veth peer name ").append(ClientHost.INTERFACE)
                    .append(" address ").append(c.mac()).append(" netns ").append(c.namespace().name()).append('\n')
                    .append("link set ").append(port).append(" master brB\nlink set ").append(port).append(" up\n");
        }
        bridge.ipBatch(wiring.toString()).requireSuccess();
        for (ClientHost c : clients) {
            c.namespace().ipBatch("link set lo up\nlink set " + ClientHost.INTERFACE + " up\nroute add default dev "
                    + ClientHost.INTERFACE + "\n").requireSuccess();
        }
        lab.server().ipBatch("route add " + SEGMENT + " via " + RELAY_LAB_ADDRESS + "\n").requireSuccess();

        // The sysctl is per namespace: forwarding is on in the relay's alone.
        relay.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1").requireSuccess();
        Path dir = lab.newDirectory("dhcrelay");
        dhcrelay = lab.track(relay.spawn("dhcrelay", dir.resolve("dhcrelay.out"), List.of("dhcrelay", "-d", "-4",
                "-pf", dir.resolve("dhcrelay.pid").toString(), "-id", "rb0", "-iu", "ra0", "10.20.0.1")));
        BackgroundProcess started = dhcrelay;
        await("dhcrelay listening in " + relay.name()).atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> !started.isAlive() || started.output().contains("Sending on"));
        if (!started.isAlive()) {
            throw new IllegalStateException("dhcrelay exited:\n" + started.output());
        }
    }

    /** Stops dhcrelay by its PID and deletes this segment's namespaces (the relay's veth into the lab goes too). */
    @Override
    public void close() {
        if (dhcrelay != null) {
            dhcrelay.close();
        }
        List<String> ours = new ArrayList<>(List.of(relay.name(), bridge.name()));
        clients.forEach(c -> ours.add(c.namespace().name()));
        delete(ours.stream().filter(existing()::contains).toList());
    }

    private static void removeStale() {
        List<String> stale = existing().stream().filter(name -> {
            Matcher m = OUR_NAMESPACE.matcher(name);
            return m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty();
        }).toList();
        delete(stale);
    }

    private static List<String> existing() {
        return ProcessRunner.run(List.of("ip", "netns", "list"), TIMEOUT).requireSuccess().output().lines()
                .map(line -> line.split("\\s+", 2)[0])
                .filter(name -> OUR_NAMESPACE.matcher(name).matches())
                .toList();
    }

    // Whatever still runs inside is ours (dhclient, curl, dhcrelay of this or a dead run): stopped by PID first.
    private static void delete(List<String> namespaces) {
        if (namespaces.isEmpty()) {
            return;
        }
        for (String ns : namespaces) {
            ProcessRunner.run(List.of("ip", "netns", "pids", ns), TIMEOUT).output().lines().map(String::trim)
                    .filter(s -> s.matches("\\d+"))
                    .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
        }
        StringBuilder del = new StringBuilder();
        namespaces.forEach(ns -> del.append("netns del ").append(ns).append('\n'));
        ProcessRunner.run(List.of("ip", "-force", "-batch", "-"), TIMEOUT, del.toString());
    }
}
