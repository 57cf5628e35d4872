package lab.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import lab.config.model.AdminConfig;

/** Binds the {@code admin} section: the admin API's listening address and its token file. */
final class AdminBinder {

    static final List<String> KEYS = List.of("listen", "token-file");

    private final Path configDirectory;

    AdminBinder(Path configDirectory) {
        this.configDirectory = configDirectory;
    }

    AdminConfig bind(MappingReader admin) {
        InetSocketAddress listen = admin.scalar("listen", ScalarTypes.LISTEN).map(Located::value)
                .orElse(AdminConfig.DEFAULTS.listen());
        Path tokenFile = admin.scalar("token-file", ScalarTypes.FILE)
                .map(located -> configDirectory.resolve(located.value()).normalize())
                .orElse(AdminConfig.DEFAULT_TOKEN_FILE);
        return new AdminConfig(listen, tokenFile);
    }
}
