package lab.pgstore;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: its own data directory under /tmp, its own port, a password login, and
 * removed again by {@link #close()}. Runs as the {@code postgres} user when the test runs as root (PostgreSQL refuses
 * root), optionally inside a network namespace the test made. Never touches the machine's own clusters.
 */
public final class LocalPostgres implements AutoCloseable {

    /** The superuser role tests log in as. */
    public static final String USER = "lab";

    private final Path bin;
    private final Path dataDir;
    private final Optional<String> namespace;
    private final String host;
    private final int port;
    private final String password;
    private boolean stopped;

    private LocalPostgres(Path bin, Path dataDir, Optional<String> namespace, String host, int port,
                          String password) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.namespace = namespace;
        this.host = host;
        this.port = port;
        this.password = password;
    }

    /** The server binaries' directory, newest version first, if PostgreSQL's server package is installed. */
    public static Optional<Path> serverBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Why tests that need a server cannot run here, or empty when they can. */
    public static Optional<String> unavailableReason() {
        if (serverBinaries().isEmpty()) {
            return Optional.of("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin "
                    + "(apt-get install -y postgresql; scripts/install-deps.sh does)");
        }
        if (isRoot() && !userExists("postgres")) {
            return Optional.of("running as root but there is no postgres user to run the server as");
        }
        return Optional.empty();
    }

    /** Starts a server on a free loopback port. */
    public static LocalPostgres startOnLoopback() throws IOException {
        return start(Optional.empty(), "127.0.0.1", freeLoopbackPort());
    }

    /** Starts a server listening on {@code host:port}, inside {@code namespace} when given. */
    public static LocalPostgres start(Optional<String> namespace, String host, int port) throws IOException {
        Path bin = serverBinaries().orElseThrow(() -> new IOException(unavailableReason().orElse("no PostgreSQL")));
        Path dataDir = Files.createTempDirectory("lab-postgres-");
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        Path pwfile = dataDir.resolve("pwfile");
        Path data = dataDir.resolve("data");
        Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
        if (isRoot()) {
            run(List.of("chown", "-R", "postgres:postgres", dataDir.toString()), 30);
        }
        LocalPostgres server = new LocalPostgres(bin, dataDir, namespace, host, port, password);
        try {
            server.asServerUser(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
                    "--pwfile=" + pwfile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"), 120);
            // initdb lets in loopback only; a server in a test's namespace is reached from its other hosts.
            Files.writeString(data.resolve("pg_hba.conf"), "host all all 0.0.0.0/0 scram-sha-256\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            server.asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60",
                    "-l", dataDir.resolve("server.log").toString(), "-o",
                    "-c listen_addresses=" + host + " -p " + port + " -c unix_socket_directories=" + dataDir
                            + " -c max_connections=200 -c fsync=on -c synchronous_commit=on", "start"), 90);
        } catch (IOException e) {
            server.deleteDirectory();
            throw new IOException(e.getMessage() + "; server log: " + server.logTail(), e);
        }
        return server;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** The JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Settings that log in as {@link #USER} to {@code database}. */
    public PostgresSettings settings(String database) {
        return new PostgresSettings(jdbcUrl(database), USER, password, 2, PostgresSettings.DEFAULT_CONNECT_TIMEOUT);
    }

    /** Creates an empty database (reached from the test's own network namespace, so loopback servers only). */
    public void createDatabase(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
    }

    /**
     * Runs {@code sql} with psql where the server is (inside its namespace, so a test outside it can still look),
     * as {@link #USER} on database {@code postgres}; returns the rows, columns separated by {@code |}.
     */
    public List<String> query(String sql) throws IOException {
        List<String> command = new ArrayList<>();
        namespace.ifPresent(ns -> command.addAll(List.of("ip", "netns", "exec", ns)));
        command.addAll(List.of("env", "PGPASSWORD=" + password, bin.resolve("psql").toString(), "-X", "-q", "-At",
                "-v", "ON_ERROR_STOP=1", "-h", host, "-p", Integer.toString(port), "-U", USER, "-d", "postgres",
                "-c", sql));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("psql " + sql + " failed: " + output.strip());
            }
            return output.lines().filter(line -> !line.isEmpty()).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running psql", e);
        }
    }

    /** Stops the server at once (as a crash would) and deletes its data. Closing again does nothing. */
    @Override
    public void close() throws IOException {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.resolve("data").toString(),
                    "-m", "immediate", "-w", "stop"), 60);
        } finally {
            deleteDirectory();
        }
    }

    /** The last lines the server logged, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("server.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no server log)";
        }
    }

    private void asServerUser(List<String> command, int timeoutSeconds) throws IOException {
        List<String> full = new ArrayList<>();
        namespace.ifPresent(ns -> full.addAll(List.of("ip", "netns", "exec", ns)));
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full, timeoutSeconds);
    }

    private static void run(List<String> command, int timeoutSeconds) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process process = builder.start();
        try {
            // Read before waiting: pg_ctl's children inherit nothing (its -l log), so this ends when it does.
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted running " + command.get(0), e);
        }
    }

    private void deleteDirectory() throws IOException {
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean userExists(String user) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(user + ":"));
        } catch (IOException e) {
            return false;
        }
    }
}
