package lab.config.model;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the admin API listens and where its bearer token is kept. YAML section {@code admin} (optional):
 * {@code listen} (IPv4 literal or {@code localhost}, colon, port; default {@code 127.0.0.1:8807}) and
 * {@code token-file} (default {@code /etc/appliance/admin.token}; relative to the config file's directory).
 */
public record AdminConfig(InetSocketAddress listen, Path tokenFile) {

    public static final int DEFAULT_PORT = 8807;
    public static final Path DEFAULT_TOKEN_FILE = Path.of("/etc/appliance/admin.token");

    /** What an absent {@code admin} section means. */
    public static final AdminConfig DEFAULTS = new AdminConfig(
            new InetSocketAddress(loopback(), DEFAULT_PORT), DEFAULT_TOKEN_FILE);

    public AdminConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(tokenFile, "tokenFile");
    }

    // Built from bytes so no name service is consulted.
    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
