package lab.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import lab.appliance.netns.BackgroundProcess;

/**
 * A small tmpfs mounted on a directory the test created, filled to ENOSPC by a filler file and freed by deleting it.
 * Mounted before the appliance starts, so the mount namespace {@code ip netns exec} gives it holds the same mount.
 */
final class TmpfsStateDisk implements StateDisk {

    private static final int CHUNK = 1 << 16;

    private final Path mountPoint;
    private final Path filler;
    private long filled;
    private long usableAfterFill = -1;

    private TmpfsStateDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler.bin");
    }

    /** Mounts a tmpfs of {@code mebibytes} on {@code mountPoint}, an empty directory of the test's. */
    static TmpfsStateDisk mount(Path mountPoint, int mebibytes) {
        HostCommand.require("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m,mode=0755", "tmpfs",
                mountPoint.toString());
        return new TmpfsStateDisk(mountPoint);
    }

    @Override
    public Path dir() {
        return mountPoint.resolve("state");
    }

    @Override
    public String failure() {
        return "full";
    }

    /** Writes the filler until the file system refuses a byte more (ENOSPC). */
    @Override
    public void fail(BackgroundProcess appliance) {
        try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            while (true) {
                chunk.clear();
                try {
                    while (chunk.hasRemaining()) {
                        filled += out.write(chunk);
                    }
                } catch (IOException e) {
                    if (String.valueOf(e.getMessage()).contains("No space left on device")) {
                        usableAfterFill = usableBytes();
                        return;
                    }
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fill " + mountPoint, e);
        }
    }

    /** Bytes the filler took. */
    long filledBytes() {
        return filled;
    }

    /** Bytes the file system said were free right after the fill (0: full), -1 before it. */
    long usableAfterFill() {
        return usableAfterFill;
    }

    private long usableBytes() {
        try {
            return Files.getFileStore(mountPoint).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + mountPoint, e);
        }
    }

    @Override
    public void repair(BackgroundProcess appliance) {
        try {
            Files.delete(filler);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + filler, e);
        }
    }

    @Override
    public Path viewedBy(BackgroundProcess appliance) {
        return dir();
    }

    @Override
    public void remountForRestart() {
        // Still mounted: a tmpfs lives as long as its mount on the host.
    }

    @Override
    public void close() {
        if (!HostCommand.run("umount", mountPoint.toString()).succeeded()) {
            HostCommand.run("umount", "-l", mountPoint.toString());
        }
    }
}
