package lab.appliance.netns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The Debian 12 VM image {@code scripts/vm/build-image.sh} builds (debootstrap, stock cloud-init 22.4): a qcow2 root
 * filesystem with the kernel and initrd beside it. The script caches the image, so asking again is cheap.
 *
 * @param dir the image directory: {@code root.qcow2}, {@code vmlinuz}, {@code initrd.img}, {@code packages.txt}
 */
public record VmImage(Path dir) {

    /** A first build downloads ~400 packages and writes a 3 GiB filesystem: minutes, not seconds. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);

    /**
     * The image, built if it is not cached yet. Skips the test (with the reason) where qemu or debootstrap is
     * missing; fails it if they are there and the build fails.
     */
    public static VmImage assumeAvailable() {
        for (String tool : List.of("qemu-system-x86_64", "qemu-img", "debootstrap", "ssh", "ssh-keygen")) {
            Assumptions.assumeTrue(Executables.onPath(tool),
                    "real-VM tests need " + tool + " (install them with: sudo bash scripts/install-deps.sh)");
        }
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/net/tun")), "real-VM tests need /dev/net/tun for taps");
        Path script = Repository.root().resolve("scripts/vm/build-image.sh");
        CommandResult build = ProcessRunner.run(List.of("bash", script.toString()), BUILD_TIMEOUT).requireSuccess();
        String last = build.output().lines().filter(line -> !line.isBlank()).reduce((a, b) -> b).orElse("");
        Path dir = Path.of(last.strip());
        if (!Files.isRegularFile(dir.resolve("root.qcow2"))) {
            throw new IllegalStateException("build-image.sh printed no image directory: " + build.describe());
        }
        return new VmImage(dir);
    }

    /** The version of one Debian package in the image, e.g. {@code cloud-init} → {@code 22.4.2-1+deb12u4}. */
    public String packageVersion(String name) {
        try (var lines = Files.lines(dir.resolve("packages.txt"))) {
            return lines.map(line -> line.split(" ", 2)).filter(f -> f.length == 2 && f[0].equals(name))
                    .map(f -> f[1]).findFirst()
                    .orElseThrow(() -> new IllegalStateException(name + " is not in the image " + dir));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the package list of " + dir, e);
        }
    }
}
