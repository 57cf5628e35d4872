package lab.appliance.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A built {@code appliance_<version>_all.deb}.
 *
 * @param file    the package file
 * @param version its {@code Version:} field
 */
public record DebPackage(Path file, String version) {

    private static final Duration DPKG_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern VERSION_LINE = Pattern.compile("(?m)^Version: .*$");

    /**
     * The package named by the system property {@code appliance.deb} (failsafe passes the one the package phase
     * built). A missing package fails: the test exists to test it.
     */
    public static DebPackage fromSystemProperty() {
        String property = System.getProperty("appliance.deb");
        if (property == null || property.isBlank()) {
            throw new IllegalStateException("system property appliance.deb is not set (run through mvn verify)");
        }
        Path file = Path.of(property).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("Debian package not found at " + file + " (mvn verify packages it first)");
        }
        return new DebPackage(file, field(file, "Version"));
    }

    /**
     * This package with only its version changed, written to {@code dir}: the next build of the same code, for an
     * upgrade test. Unpacked and rebuilt with dpkg-deb, which keeps owners, modes, conffiles and maintainer scripts.
     */
    public DebPackage withVersion(String newVersion, Path dir) {
        Path tree = dir.resolve("tree");
        run("dpkg-deb", "--raw-extract", file.toString(), tree.toString());
        Path control = tree.resolve("DEBIAN/control");
        try {
            String text = Files.readString(control, StandardCharsets.UTF_8);
            Files.writeString(control, VERSION_LINE.matcher(text).replaceFirst(
                    Matcher.quoteReplacement("Version: " + newVersion)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + control, e);
        }
        Path rebuilt = dir.resolve("appliance_" + newVersion + "_all.deb");
        run("dpkg-deb", "--build", tree.toString(), rebuilt.toString());
        return new DebPackage(rebuilt, field(rebuilt, "Version"));
    }

    /** The file name, as {@code apt-get install ./NAME} takes it. */
    public String fileName() {
        return file.getFileName().toString();
    }

    private static String field(Path deb, String name) {
        return run("dpkg-deb", "--field", deb.toString(), name).output().strip();
    }

    private static CommandResult run(String... command) {
        return ProcessRunner.run(List.of(command), DPKG_TIMEOUT).requireSuccess();
    }
}
