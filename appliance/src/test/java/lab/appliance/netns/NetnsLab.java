package lab.appliance.netns;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lab.dhcp.MacAddress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that builds an isolated lab network for one test class and tears it down afterwards.
 *
 * <p>Topology: a "switch" namespace holds the bridge {@code br0}; a server namespace has {@code lab0} =
 * 10.20.0.1/16 on it; each client namespace has one veth {@code eth0} with a chosen MAC, {@code lo} up and
 * {@code default dev eth0} (so a client without an address can still send). Every veth pair is created inside
 * the switch namespace with its far end placed straight into its namespace, so nothing appears on the host.
 *
 * <p>Names are {@code apt-<jvm pid>-…}: two runs cannot collide, and leftovers of a run whose JVM is gone (or
 * of an earlier class of this run) are removed before building. Register it as a static field with
 * {@code @RegisterExtension}; server output is printed when a test fails.
 */
public final class NetnsLab implements BeforeAllCallback, AfterAllCallback, AfterTestExecutionCallback {

    /** The server's interface inside its namespace. */
    public static final String SERVER_INTERFACE = "lab0";
    /** The server's address on the lab network, with its prefix length. */
    public static final String SERVER_ADDRESS = "10.20.0.1/16";

    private static final Pattern LAB_NAMESPACE = Pattern.compile("^apt-(\\d+)-\\S+");
    private static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(60);

    /** The management network of a pair: its database and each node's own address there. */
    public static final String DATABASE_ADDRESS = "10.99.0.1";
    private static final String[] NODE_MANAGEMENT_ADDRESSES = {"10.99.0.11/24", "10.99.0.12/24"};

    private final List<MacAddress> clientMacs;
    private final boolean pair;
    private final List<BackgroundProcess> processes = new CopyOnWriteArrayList<>();
    private Namespace secondServerNamespace;
    private Namespace databaseNamespace;
    private String prefix;
    private Namespace switchNamespace;
    private Namespace serverNamespace;
    private List<ClientHost> clients = List.of();
    private Path workDir;

    private NetnsLab(List<MacAddress> clientMacs, boolean pair) {
        this.clientMacs = List.copyOf(clientMacs);
        this.pair = pair;
    }

    /**
     * This lab as the home of an active/standby pair: two server namespaces on the lab bridge, neither holding the
     * service address (the active node adds it), and a database namespace that both reach on a management bridge of
     * its own ({@link #DATABASE_ADDRESS}; nodes at 10.99.0.11 and .12), as a real pair's database sits off the lab.
     */
    public NetnsLab asPair() {
        return new NetnsLab(clientMacs, true);
    }

    /** Node {@code index} (0 or 1) of a pair; node 0 is {@link #server()}. */
    public Namespace pairNode(int index) {
        if (!pair) {
            throw new IllegalStateException("not a pair lab");
        }
        return index == 0 ? serverNamespace : secondServerNamespace;
    }

    /** The pair's database namespace. */
    public Namespace databaseNamespace() {
        if (!pair) {
            throw new IllegalStateException("not a pair lab");
        }
        return databaseNamespace;
    }

    /** The directory this class's runs keep their files in. */
    public Path workDirectory() {
        return workDir;
    }

    /** Starts {@code command} in {@code namespace}; stopped after the class at the latest, its output on failure. */
    public BackgroundProcess spawn(Namespace namespace, String name, List<String> command) throws IOException {
        Path log = workDir.resolve(name + "-" + System.nanoTime() + ".log");
        return track(namespace.spawn(name, log, command));
    }

    /** A lab with {@code count} clients whose MACs are {@code 02:00:00:10:00:01}, {@code …:02}, and so on. */
    public static NetnsLab withClients(int count) {
        if (count < 0 || count > 999) {
            throw new IllegalArgumentException("client count must be 0..999, got " + count);
        }
        List<MacAddress> macs = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            macs.add(new MacAddress(0x02_00_00_10_00_00L + i));
        }
        return new NetnsLab(macs, false);
    }

    /** This lab plus one more client with the given MAC (for reservations); it comes after the others. */
    public NetnsLab plusClient(String mac) {
        List<MacAddress> macs = new ArrayList<>(clientMacs);
        macs.add(MacAddress.parse(mac));
        if (macs.size() > 999) {
            throw new IllegalArgumentException("a lab holds at most 999 clients");
        }
        return new NetnsLab(macs, pair);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        assumeHostCanRunLab();
        prefix = "apt-" + ProcessHandle.current().pid();
        workDir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
                .resolve("target").resolve("netns").resolve(context.getRequiredTestClass().getSimpleName());
        deleteRecursively(workDir);
        Files.createDirectories(workDir);
        removeStaleNamespaces();
        build();
    }

    /** Runs before the test's own {@code @AfterEach}, so a server stopped there still has its output printed. */
    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            for (BackgroundProcess process : processes) {
                System.out.printf("----- output of %s (%s) -----%n%s%n----- end of %s -----%n",
                        process.name(), process.outputFile(), process.output(), process.name());
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopProcesses();
        if (prefix != null) {
            deleteNamespaces(labNamespaces().stream().filter(this::isOurs).toList());
        }
    }

    /** The namespace holding the server's {@code lab0}. */
    public Namespace server() {
        return serverNamespace;
    }

    /** The bridge's namespace; tests rarely need it. */
    public Namespace switchNamespace() {
        return switchNamespace;
    }

    public List<ClientHost> clients() {
        return clients;
    }

    /** The client at {@code index} (0-based, in the order the lab was declared). */
    public ClientHost client(int index) {
        return clients.get(index);
    }

    /** A fresh directory under {@code target/netns/<test class>/} for one client run, server or state dir. */
    public Path newDirectory(String label) {
        try {
            return Files.createTempDirectory(workDir, label + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory under " + workDir, e);
        }
    }

    /**
     * Starts {@code server} in the server namespace and waits until it prints its ready line; fails with its
     * output if it exits first or does not get ready in 60 s. The process is stopped after the class at the latest.
     */
    public BackgroundProcess startServer(ServerUnderTest server, Path config, Path stateDir) throws IOException {
        Path log = workDir.resolve(server.name() + "-" + System.nanoTime() + ".log");
        BackgroundProcess process = serverNamespace.spawn(server.name(), log, server.command(config, stateDir));
        processes.add(process);
        await("ready line of " + server.name())
                .atMost(SERVER_START_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !process.isAlive() || process.output().contains(server.readyLine()));
        if (!process.output().contains(server.readyLine())) {
            throw new IllegalStateException(server.name() + " exited before it was ready:\n" + process.output());
        }
        return process;
    }

    /** The file of test resource {@code netns/<name>} (configs for the server under test). */
    public static Path resource(String name) {
        var url = NetnsLab.class.getResource("/netns/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource netns/" + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("test resource netns/" + name + " has no file path: " + url, e);
        }
    }

    /** Stops every process the lab started or tracks (servers included), for a test that needs a fresh server. */
    public void stopProcesses() {
        processes.forEach(BackgroundProcess::close);
        processes.clear();
    }

    /** Lets the lab stop {@code process} after the class and print its output if a test fails. */
    public BackgroundProcess track(BackgroundProcess process) {
        processes.add(process);
        return process;
    }

    private static void assumeHostCanRunLab() {
        long uid = new com.sun.security.auth.module.UnixSystem().getUid();
        Assumptions.assumeTrue(uid == 0, "netns tests need root (uid " + uid + ")");
        Assumptions.assumeTrue(Executables.onPath("ip"), "netns tests need iproute2 (ip not on PATH)");
    }

    private void build() {
        switchNamespace = new Namespace(prefix + "-sw");
        serverNamespace = new Namespace(prefix + "-srv");
        List<ClientHost> hosts = new ArrayList<>();
        for (int i = 0; i < clientMacs.size(); i++) {
            hosts.add(new ClientHost(new Namespace(String.format(Locale.ROOT, "%s-c%03d", prefix, i + 1)),
                    clientMacs.get(i)));
        }
        clients = List.copyOf(hosts);

        StringBuilder add = new StringBuilder();
        add.append("netns add ").append(switchNamespace.name()).append('\n');
        add.append("netns add ").append(serverNamespace.name()).append('\n');
        clients.forEach(c -> add.append("netns add ").append(c.namespace().name()).append('\n'));
        ProcessRunner.run(List.of("ip", "-batch", "-"), Duration.ofSeconds(60), add.toString()).requireSuccess();

        StringBuilder wiring = new StringBuilder();
        wiring.append("link add br0 type bridge\nlink set br0 up\n");
        wiring.append("link add vsrv type veth peer name ").append(SERVER_INTERFACE)
                .append(" netns ").append(serverNamespace.name()).append('\n');
        wiring.append("link set vsrv master br0\nlink set vsrv up\n");
        for (int i = 0; i < clients.size(); i++) {
            ClientHost c = clients.get(i);
            String port = String.format(Locale.ROOT, "c%03d", i + 1);
            wiring.append("link add ").append(port).append(" type veth peer name ").append(ClientHost.INTERFACE)
                    .append(" address ").append(c.mac()).append(" netns ").append(c.namespace().name()).append('\n');
            wiring.append("link set ").append(port).append(" master br0\n");
            wiring.append("link set ").append(port).append(" up\n");
        }
        switchNamespace.ipBatch(wiring.toString()).requireSuccess();

        if (pair) {
            buildPair();
        } else {
            serverNamespace.ipBatch("link set lo up\naddr add " + SERVER_ADDRESS + " dev " + SERVER_INTERFACE
                    + "\nlink set " + SERVER_INTERFACE + " up\n").requireSuccess();
        }
        for (ClientHost c : clients) {
            c.namespace().ipBatch("link set lo up\nlink set " + ClientHost.INTERFACE + " up\nroute add default dev "
                    + ClientHost.INTERFACE + "\n").requireSuccess();
        }
    }

    private void buildPair() {
        secondServerNamespace = new Namespace(prefix + "-srv2");
        databaseNamespace = new Namespace(prefix + "-db");
        ProcessRunner.run(List.of("ip", "-batch", "-"), Duration.ofSeconds(60), "netns add "
                + secondServerNamespace.name() + "\nnetns add " + databaseNamespace.name() + "\n").requireSuccess();
        StringBuilder wiring = new StringBuilder("link add vsrv2 type veth peer name " + SERVER_INTERFACE + " netns "
                + secondServerNamespace.name() + "\nlink set vsrv2 master br0\nlink set vsrv2 up\n");
        wiring.append("link add br1 type bridge\nlink set br1 up\n");
        wiring.append("link add mdb type veth peer name mg0 netns ").append(databaseNamespace.name())
                .append("\nlink set mdb master br1\nlink set mdb up\n");
        Namespace[] nodes = {serverNamespace, secondServerNamespace};
        for (int i = 0; i < nodes.length; i++) {
            wiring.append("link add mn").append(i).append(" type veth peer name mg0 netns ").append(nodes[i].name())
                    .append("\nlink set mn").append(i).append(" master br1\nlink set mn").append(i).append(" up\n");
        }
        switchNamespace.ipBatch(wiring.toString()).requireSuccess();
        for (int i = 0; i < nodes.length; i++) {
            nodes[i].ipBatch("link set lo up\nlink set " + SERVER_INTERFACE + " up\naddr add "
                    + NODE_MANAGEMENT_ADDRESSES[i] + " dev mg0\nlink set mg0 up\n").requireSuccess();
        }
        databaseNamespace.ipBatch("link set lo up\naddr add " + DATABASE_ADDRESS + "/24 dev mg0\nlink set mg0 up\n")
                .requireSuccess();
    }

    private boolean isOurs(String namespace) {
        return namespace.startsWith(prefix + "-");
    }

    /** Ours from an earlier class of this JVM, or from any run whose JVM has exited. */
    private boolean isStale(String namespace) {
        Matcher m = LAB_NAMESPACE.matcher(namespace);
        if (!m.matches()) {
            return false;
        }
        return isOurs(namespace) || ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty();
    }

    private void removeStaleNamespaces() {
        deleteNamespaces(labNamespaces().stream().filter(this::isStale).toList());
    }

    private static List<String> labNamespaces() {
        CommandResult list = ProcessRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(30)).requireSuccess();
        return list.output().lines()
                .map(line -> line.split("\\s+", 2)[0])
                .filter(name -> LAB_NAMESPACE.matcher(name).matches())
                .toList();
    }

    /** Kills the processes left inside the namespaces (all started by this lab), then deletes them. */
    private static void deleteNamespaces(List<String> namespaces) {
        if (namespaces.isEmpty()) {
            return;
        }
        for (String ns : namespaces) {
            CommandResult pids = ProcessRunner.run(List.of("ip", "netns", "pids", ns), Duration.ofSeconds(30));
            pids.output().lines().map(String::trim).filter(s -> s.matches("\\d+"))
                    .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
        }
        StringBuilder del = new StringBuilder();
        namespaces.forEach(ns -> del.append("netns del ").append(ns).append('\n'));
        // -force: keep deleting after one failure, so one stuck namespace does not leave the rest behind.
        ProcessRunner.run(List.of("ip", "-force", "-batch", "-"), Duration.ofSeconds(60), del.toString());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
