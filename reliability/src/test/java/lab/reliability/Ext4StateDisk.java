package lab.reliability;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.Executables;
import org.junit.jupiter.api.Assumptions;

/**
 * An ext4 file system in an image file of the test's, loop-mounted with {@code errors=remount-ro} on a directory the
 * test created, made read-only under the running appliance the way a disk error does it, then repaired the way an
 * operator does: unmount, fsck, mount again.
 *
 * <p>Why not {@code mount -o remount,ro}: the kernel refuses it ("mount point is busy", EBUSY) while any file on the
 * file system is open for writing, and the appliance keeps its journals open; so a read-only state dir under a
 * running appliance comes from a file-system error ({@code /sys/fs/ext4/<dev>/trigger_fs_error} raises a real one),
 * after which every write, to open files too, fails with EROFS. Such a file system cannot be remounted rw either
 * (Linux 6.x keeps it "emergency read-only"), so the repair unmounts it lazily (the appliance's open files keep the
 * old one alive), checks the image and mounts it on a new loop device at the same path, inside the appliance's mount
 * namespace (a mount made on the host would not reach it: {@code ip netns exec} gives it a copy). The appliance finds
 * its files again by path. No journal ({@code ^has_journal}): the error then leaves nothing for fsck to replay.
 */
final class Ext4StateDisk implements StateDisk {

    private final Path image;
    private final Path mountPoint;
    private String device;
    private String repairDevice;
    private boolean mountedOnHost;

    private Ext4StateDisk(Path image, Path mountPoint) {
        this.image = image;
        this.mountPoint = mountPoint;
    }

    /** Skips the test, saying what is missing, unless this host can make and mount ext4 images. */
    static void assumeAvailable() {
        for (String tool : List.of("mkfs.ext4", "e2fsck", "losetup", "nsenter", "mount", "umount")) {
            Assumptions.assumeTrue(Executables.onPath(tool), "read-only state dir test needs " + tool + " on PATH");
        }
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/loop-control")),
                "read-only state dir test needs loop devices (/dev/loop-control)");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/fs/ext4")),
                "read-only state dir test needs ext4 in the kernel (/sys/fs/ext4)");
    }

    /** Makes an image of {@code mebibytes} at {@code image} and mounts it on {@code mountPoint}, an empty directory. */
    static Ext4StateDisk create(Path image, Path mountPoint, int mebibytes) {
        HostCommand.require("truncate", "-s", mebibytes + "M", image.toString());
        HostCommand.require("mkfs.ext4", "-q", "-F", "-m", "0", "-O", "^has_journal", image.toString());
        Ext4StateDisk disk = new Ext4StateDisk(image, mountPoint);
        disk.mountOnHost();
        Assumptions.assumeTrue(Files.exists(disk.errorTrigger()),
                "read-only state dir test needs " + disk.errorTrigger() + " (ext4 error injection)");
        return disk;
    }

    @Override
    public Path dir() {
        return mountPoint.resolve("state");
    }

    @Override
    public String failure() {
        return "read-only";
    }

    /** A real ext4 error on the mounted file system: it goes read-only for every process, open files included. */
    @Override
    public void fail(BackgroundProcess appliance) {
        HostCommand.require("sync", "-f", dir().toString());
        try {
            Files.writeString(errorTrigger(), "DiskFullIT: state dir made read-only");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + errorTrigger(), e);
        }
    }

    /** Lazy unmount (in the appliance's namespace and on the host), fsck, mount on a new loop device for it. */
    @Override
    public void repair(BackgroundProcess appliance) {
        String pid = Long.toString(appliance.pid());
        HostCommand.require("nsenter", "-t", pid, "-m", "umount", "-l", mountPoint.toString());
        HostCommand.require("umount", "-l", mountPoint.toString());
        mountedOnHost = false;
        CommandResult fsck = HostCommand.run("e2fsck", "-f", "-y", image.toString());
        if (fsck.exitCode() > 1) {
            throw new IllegalStateException("e2fsck could not repair " + image + ": " + fsck.describe());
        }
        repairDevice = attach();
        HostCommand.require("nsenter", "-t", pid, "-m", "mount", "-o", "errors=remount-ro", repairDevice,
                mountPoint.toString());
        detachWhenUnmounted(repairDevice);
    }

    @Override
    public Path viewedBy(BackgroundProcess appliance) {
        return Path.of("/proc", Long.toString(appliance.pid()), "root").resolve(dir().toString().substring(1));
    }

    /**
     * Waits until the dead appliance's mount of the repaired file system is gone (its loop device detached), so that
     * the image is never mounted writable twice, then mounts it on the host. The first device may stay attached: any
     * process that entered a new mount namespace meanwhile (another test's {@code ip netns exec}) holds a copy of the
     * first mount, but that file system went read-only for good with the error and writes nothing.
     */
    @Override
    public void remountForRestart() {
        if (mountedOnHost) {
            return;
        }
        if (repairDevice != null) {
            await(repairDevice + " of " + image + " released").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).until(() -> !attachedDevices().contains(repairDevice));
        }
        mountOnHost();
    }

    @Override
    public void close() {
        if (mountedOnHost && !HostCommand.run("umount", mountPoint.toString()).succeeded()) {
            HostCommand.run("umount", "-l", mountPoint.toString());
        }
        mountedOnHost = false;
    }

    private void mountOnHost() {
        device = attach();
        HostCommand.require("mount", "-o", "errors=remount-ro", device, mountPoint.toString());
        mountedOnHost = true;
        detachWhenUnmounted(device);
    }

    private String attach() {
        return HostCommand.require("losetup", "--find", "--show", image.toString()).output().strip();
    }

    /** {@code losetup -d} of a mounted device only marks it: the kernel detaches it once its last user is gone. */
    private static void detachWhenUnmounted(String loop) {
        HostCommand.require("losetup", "-d", loop);
    }

    private Path errorTrigger() {
        return Path.of("/sys/fs/ext4", Path.of(device).getFileName().toString(), "trigger_fs_error");
    }

    /** Loop devices still attached to the image. */
    private List<String> attachedDevices() {
        List<String> attached = new ArrayList<>();
        for (String line : HostCommand.run("losetup", "-j", image.toString()).output().lines().toList()) {
            attached.add(line.split(":", 2)[0]);
        }
        return attached;
    }
}
