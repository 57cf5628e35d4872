package lab.dhcp.lease;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real file channel whose writes and forces fail while {@code failing} is set, like a full or read-only disk, and
 * whose forces can be made to wait, like a slow one. Public for other modules' tests of files they write.
 */
public final class FailingFileChannel extends FileChannel {

    /** Runs before every force; may block (a slow disk) or throw. */
    @FunctionalInterface
    interface ForceHook {
        void beforeForce() throws IOException;
    }

    private final FileChannel delegate;
    private final AtomicBoolean failing;
    private final boolean failForceOnly;
    private final ForceHook forceHook;

    private FailingFileChannel(FileChannel delegate, AtomicBoolean failing, boolean failForceOnly,
                               ForceHook forceHook) {
        this.delegate = delegate;
        this.failing = failing;
        this.failForceOnly = failForceOnly;
        this.forceHook = forceHook;
    }

    /** {@code delegate}, failing writes (after writing half the bytes, a torn line) and forces while {@code failing}. */
    public static FileChannel failingWhile(FileChannel delegate, AtomicBoolean failing) {
        return new FailingFileChannel(delegate, failing, false, () -> { });
    }

    /** An opener whose channels fail writes (after writing half the bytes, a torn line) while {@code failing}. */
    static ChannelOpener opener(AtomicBoolean failing) {
        return (Path path, OpenOption... options) -> new FailingFileChannel(FileChannel.open(path, options), failing,
                false, () -> { });
    }

    /** An opener whose channels write fully but fail the force while {@code failing}. */
    static ChannelOpener forceFailingOpener(AtomicBoolean failing) {
        return (Path path, OpenOption... options) -> new FailingFileChannel(FileChannel.open(path, options), failing,
                true, () -> { });
    }

    /** An opener whose channels never fail but run {@code hook} before every force. */
    static ChannelOpener forceHookOpener(ForceHook hook) {
        return (Path path, OpenOption... options) -> new FailingFileChannel(FileChannel.open(path, options),
                new AtomicBoolean(), false, hook);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (failing.get() && !failForceOnly) {
            // Half the bytes land before the failure, as when a disk fills mid-line.
            int half = src.remaining() / 2;
            ByteBuffer part = src.slice().limit(half);
            delegate.write(part);
            src.position(src.position() + half);
            throw new IOException("injected: No space left on device");
        }
        return delegate.write(src);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        forceHook.beforeForce();
        if (failing.get()) {
            throw new IOException("injected: Input/output error");
        }
        delegate.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        throw new UnsupportedOperationException("the journal writes single buffers");
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        throw new UnsupportedOperationException("the journal writes at its position");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
