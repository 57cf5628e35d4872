package lab.dhcp.lease;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Locale;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal file as the writer thread sees it: appends forced to disk, recovery after a failed write, and
 * compaction. Confined to one thread at a time (the opener before the writer thread starts, then that thread).
 *
 * <p>After a failed write or force the bytes past the last forced record are in doubt (a torn line, or a line whose
 * caller was told it failed). The next attempt therefore reopens the file and truncates it back to that last good
 * length before appending, and so does closing, so the file always matches what callers were told was durable.
 * Reopening by path also finds the journal again when its file system was unmounted and mounted back.
 *
 * <p>A full or read-only disk fails every write until it is fixed, and every REQUEST tries one: such an outage is an
 * episode, logged at ERROR once when it starts (at DEBUG after) and at INFO when a write succeeds again, with its
 * length. A compaction that fails starts an episode of its own unless appends are already failing. The counts and
 * {@link #writable()} are read by other threads, for metrics.
 */
final class JournalWriter {

    private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);
    private static final int CHUNK = 1 << 16;

    private final Path file;
    private final Path compactFile;
    private final JournalFormat format;
    private final ChannelOpener opener;
    private final JournalTimings timings;
    private final AtomicLong forces = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final AtomicLong failedCompactions = new AtomicLong();
    private volatile boolean writable = true;

    private FileChannel channel;
    private long goodLength;
    private long lines;
    private boolean broken;
    private int failedBatches;
    private long failingSinceNanos;
    private int failedRewrites;

    JournalWriter(Path file, Path compactFile, JournalFormat format, ChannelOpener opener, JournalTimings timings) {
        this.file = file;
        this.compactFile = compactFile;
        this.format = format;
        this.opener = opener;
        this.timings = timings;
    }

    /** Starts a new journal holding only its header, forced together with its directory entry. */
    void create() throws IOException {
        try {
            channel = opener.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            writeFully(channel, ByteBuffer.wrap(format.header()));
            channel.force(true);
            goodLength = channel.position();
            forceDirectory();
        } catch (IOException e) {
            closeQuietly(channel);
            channel = null;
            throw new IOException("cannot create lease journal " + file + ": " + e, e);
        }
    }

    /** Opens an existing journal for appending after its last complete line, cutting off any torn tail. */
    void open(long validLength, long recordLines) throws IOException {
        try {
            channel = opener.open(file, StandardOpenOption.WRITE);
            if (channel.size() > validLength) {
                channel.truncate(validLength);
                channel.force(true);
            }
            channel.position(validLength);
            goodLength = validLength;
            lines = recordLines;
        } catch (IOException e) {
            closeQuietly(channel);
            channel = null;
            throw new IOException("cannot open lease journal " + file + " for appending: " + e, e);
        }
    }

    /** Appends the records and forces them with one force; on failure nothing counts as written. */
    void appendRecords(List<Lease> records) throws IOException {
        List<byte[]> recordLines = new ArrayList<>(records.size());
        for (Lease lease : records) {
            recordLines.add(format.encode(lease));
        }
        appendDurably(recordLines);
    }

    /** Appends the lines and forces them with one force; on failure nothing counts as written. */
    void appendDurably(List<byte[]> recordLines) throws IOException {
        int size = 0;
        for (byte[] line : recordLines) {
            size += line.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (byte[] line : recordLines) {
            buffer.put(line);
        }
        buffer.flip();
        long started = System.nanoTime();
        try {
            if (broken) {
                reopen();
            }
            writeFully(channel, buffer);
            channel.force(false); // fdatasync: enough for appends, the new length is flushed with the data
        } catch (IOException e) {
            broken = true;
            writable = false;
            failedWrites.incrementAndGet();
            if (failedBatches++ == 0) {
                failingSinceNanos = started;
                // One line with the cause, no stack trace: it is the disk, not the code, and operators grep for it.
                log.error("lease journal write failed, no lease is committed and no ACK sent until it recovers "
                        + "file={} records={} cause=\"{}\"", file, recordLines.size(), e.toString());
                log.debug("lease journal write failure", e);
            } else {
                log.debug("lease journal write failed again file={} records={} failed_batches={} cause=\"{}\"",
                        file, recordLines.size(), failedBatches, e.toString());
            }
            throw new IOException("cannot write lease journal " + file + ": " + e, e);
        }
        // Monotonic nanoTime, not the lease Clock: this is a measured duration, not a point in lease time.
        long now = System.nanoTime();
        timings.appended(recordLines.size(), Duration.ofNanos(now - started));
        forces.incrementAndGet();
        goodLength += size;
        lines += recordLines.size();
        writable = true;
        if (failedBatches > 0) {
            log.info("lease journal writable again file={} failed_batches={} seconds={}", file, failedBatches,
                    seconds(now - failingSinceNanos));
            failedBatches = 0;
        }
    }

    /**
     * Replaces the journal by a snapshot: header and {@code live} written to the compaction file, forced, renamed
     * over the journal, directory forced. Appends continue into the new file.
     */
    void rewrite(Collection<Lease> live) throws IOException {
        long started = System.nanoTime();
        FileChannel out = null;
        try {
            out = opener.open(compactFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            chunk = append(out, chunk, format.header());
            for (Lease lease : live) {
                chunk = append(out, chunk, format.encode(lease));
            }
            chunk.flip();
            writeFully(out, chunk);
            out.force(true);
            Files.move(compactFile, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            closeQuietly(out);
            try {
                // Also gives back the space a half-written copy holds on a full disk.
                Files.deleteIfExists(compactFile);
            } catch (IOException deleteFailure) {
                e.addSuppressed(deleteFailure);
            }
            compactionFailed(e);
            throw new IOException("cannot compact lease journal " + file + ": " + e, e);
        }
        long linesBefore = lines;
        closeQuietly(channel);
        channel = out;
        goodLength = out.position();
        lines = live.size();
        broken = false;
        if (failedRewrites > 0) {
            log.info("lease journal compaction works again file={} failed_compactions={}", file, failedRewrites);
            failedRewrites = 0;
        }
        try {
            forceDirectory();
        } catch (IOException e) {
            throw new IOException("lease journal " + file + " compacted, but its directory was not forced: " + e, e);
        }
        log.info("lease journal compacted file={} records={} lines_before={} seconds={}", file, live.size(),
                linesBefore, seconds(System.nanoTime() - started));
    }

    /** The old journal is untouched and stays in use; said at ERROR once, and not while appends already fail. */
    private void compactionFailed(Exception e) {
        failedCompactions.incrementAndGet();
        if (failedRewrites++ == 0 && failedBatches == 0) {
            log.error("lease journal compaction failed, the old journal stays in use file={} cause=\"{}\"", file,
                    e.toString());
            log.debug("lease journal compaction failure", e);
        } else {
            log.debug("lease journal compaction failed again file={} failed_compactions={} cause=\"{}\"", file,
                    failedRewrites, e.toString());
        }
    }

    /**
     * Forces what is written and closes the file. After a failed write it first cuts the file back to the last good
     * length, as the next append would have: else the next start would load records whose callers were told they
     * failed (a whole line is left behind when only the force failed).
     */
    void close() throws IOException {
        try {
            if (broken) {
                reopen();
            }
            if (channel != null) {
                channel.force(true);
            }
        } finally {
            FileChannel open = channel;
            channel = null;
            if (open != null) {
                open.close();
            }
        }
    }

    long forceCount() {
        return forces.get();
    }

    long lineCount() {
        return lines;
    }

    /** False from a failed append until one succeeds again. */
    boolean writable() {
        return writable;
    }

    /** Appends (one force each) that failed. */
    long failedWrites() {
        return failedWrites.get();
    }

    /** Compactions that failed, leaving the old journal in use. */
    long failedCompactions() {
        return failedCompactions.get();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }

    private void reopen() throws IOException {
        closeQuietly(channel);
        channel = null;
        channel = opener.open(file, StandardOpenOption.WRITE);
        if (channel.size() > goodLength) {
            channel.truncate(goodLength);
        }
        channel.position(goodLength);
        broken = false;
    }

    private void forceDirectory() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private static ByteBuffer append(FileChannel out, ByteBuffer chunk, byte[] line) throws IOException {
        if (chunk.remaining() < line.length) {
            chunk.flip();
            writeFully(out, chunk);
            chunk.clear();
            if (chunk.capacity() < line.length) {
                chunk = ByteBuffer.allocate(line.length);
            }
        }
        chunk.put(line);
        return chunk;
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            log.debug("closing lease journal channel failed", e);
        }
    }
}
