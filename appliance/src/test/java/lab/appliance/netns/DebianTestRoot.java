package lab.appliance.netns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The Debian 12 root filesystem {@code scripts/deb/build-root.sh} builds for package tests (debootstrap minbase with
 * systemd, Java 17's packages in apt's cache), cached as a tarball; each test unpacks a fresh copy of it.
 *
 * @param tarball the cached root, {@code /var/cache/appliance-tests/deb/bookworm-<hash>.tar}
 */
public record DebianTestRoot(Path tarball) {

    /** A first build runs debootstrap and downloads Java's packages: a few minutes on a good link. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(5);

    /**
     * The root, built if it is not cached yet. Skips the test (with the reason) where debootstrap, systemd-nspawn,
     * nsenter or dpkg-deb is missing; fails it if they are there and the build fails.
     */
    public static DebianTestRoot assumeAvailable() {
        for (String tool : List.of("debootstrap", "systemd-nspawn", "nsenter", "dpkg-deb", "tar")) {
            Assumptions.assumeTrue(Executables.onPath(tool),
                    "package tests need " + tool + " (install them with: sudo bash scripts/install-deps.sh)");
        }
        Path script = Repository.root().resolve("scripts/deb/build-root.sh");
        CommandResult build = ProcessRunner.run(List.of("bash", script.toString()), BUILD_TIMEOUT).requireSuccess();
        // A few lines: cached, or built from which mirror in how long (the cold run's cost, for the CI log).
        System.out.print(build.output());
        String last = build.output().lines().filter(line -> !line.isBlank()).reduce((a, b) -> b).orElse("");
        Path tarball = Path.of(last.strip());
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("build-root.sh printed no tarball: " + build.describe());
        }
        return new DebianTestRoot(tarball);
    }

    /** Unpacks a fresh copy into the empty directory {@code dir}, owners and modes as built; returns {@code dir}. */
    public Path unpackInto(Path dir) {
        ProcessRunner.run(List.of("tar", "--numeric-owner", "--xattrs", "-xf", tarball.toString(), "-C", dir.toString()),
                UNPACK_TIMEOUT).requireSuccess();
        return dir;
    }

    /** Deletes an unpacked copy; {@code --one-file-system} so a mount left inside it by accident is never entered. */
    public static void delete(Path dir) {
        ProcessRunner.run(List.of("rm", "-rf", "--one-file-system", dir.toString()), UNPACK_TIMEOUT).requireSuccess();
    }
}
