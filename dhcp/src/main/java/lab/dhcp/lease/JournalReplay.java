package lab.dhcp.lease;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a lease journal back, line by line.
 *
 * <p>Steps: (1) the first line must be this format's header, else the file is refused; a file that ends inside its
 * header (a crash while it was created) counts as empty. (2) Each further complete line is decoded; a damaged one
 * is skipped with a WARN naming file and line. (3) Bytes after the last newline are a record cut short by a crash
 * mid-append: they are skipped with a WARN and reported as {@link Result#validLength()}, where the caller truncates
 * the file. (4) More than {@value #DAMAGED_LINES_ALLOWED} damaged lines that are also more than
 * 1/{@value #DAMAGED_FRACTION_DIVISOR} of all record lines mean this is not a torn write but a broken file: refuse
 * it, naming file and first damaged line, rather than start with half a table.
 */
final class JournalReplay {

    private static final Logger log = LoggerFactory.getLogger(JournalReplay.class);

    static final int DAMAGED_LINES_ALLOWED = 10;
    static final int DAMAGED_FRACTION_DIVISOR = 100;

    /**
     * @param records     the decoded records in file order (later ones win)
     * @param validLength the length of the file up to its last complete line
     * @param lines       record lines read (header and partial last line excluded)
     * @param skipped     damaged lines skipped
     * @param hasHeader   false when the file is empty or ends inside its header
     */
    record Result(List<Lease> records, long validLength, int lines, int skipped, boolean hasHeader) {
    }

    private final Path file;
    private final JournalFormat format;

    JournalReplay(Path file, JournalFormat format) {
        this.file = file;
        this.format = format;
    }

    Result read() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("lease journal " + file + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("lease journal ")) {
                throw e;
            }
            throw new IOException("cannot read lease journal " + file + ": " + e, e);
        }
    }

    private Result read(InputStream in) throws IOException {
        List<Lease> records = new ArrayList<>();
        byte[] line = new byte[512];
        int length = 0;
        long offset = 0;
        long lineStart = 0;
        int lineNumber = 0;
        int recordLines = 0;
        int skipped = 0;
        int firstDamaged = 0;
        byte[] chunk = new byte[1 << 16];
        int read;
        while ((read = in.read(chunk)) >= 0) {
            for (int i = 0; i < read; i++) {
                byte b = chunk[i];
                offset++;
                if (b != '\n') {
                    if (length == line.length) {
                        line = Arrays.copyOf(line, line.length * 2);
                    }
                    line[length++] = b;
                    continue;
                }
                lineNumber++;
                if (lineNumber == 1) {
                    String problem = format.headerProblem(line, length);
                    if (problem != null) {
                        throw new IOException("lease journal " + file + " is not readable: " + problem);
                    }
                } else {
                    recordLines++;
                    try {
                        records.add(format.decode(line, 0, length));
                    } catch (DamagedRecordException e) {
                        skipped++;
                        if (firstDamaged == 0) {
                            firstDamaged = lineNumber;
                        }
                        log.warn("lease journal line skipped file={} line={} reason={}",
                                file, lineNumber, e.getMessage());
                    }
                }
                length = 0;
                lineStart = offset;
            }
        }
        if (lineNumber == 0) {
            return partialHeader(line, length);
        }
        if (length > 0) {
            log.warn("lease journal ends in a partial line, skipped and truncated file={} line={} bytes={}",
                    file, lineNumber + 1, length);
        }
        if (skipped > DAMAGED_LINES_ALLOWED && (long) skipped * DAMAGED_FRACTION_DIVISOR > recordLines) {
            throw new IOException("lease journal " + file + " has too many damaged lines: " + skipped + " of "
                    + recordLines + ", the first at line " + firstDamaged + " (allowed: " + DAMAGED_LINES_ALLOWED
                    + " lines or 1/" + DAMAGED_FRACTION_DIVISOR + " of the file)");
        }
        return new Result(records, lineStart, recordLines, skipped, true);
    }

    /** No complete line at all: empty, or a crash while the header was being written; anything else is refused. */
    private Result partialHeader(byte[] line, int length) throws IOException {
        byte[] header = format.header();
        if (length < header.length && Arrays.equals(line, 0, length, header, 0, length)) {
            if (length > 0) {
                log.warn("lease journal ends inside its header, starting empty file={}", file);
            }
            return new Result(List.of(), 0, 0, 0, false);
        }
        throw new IOException("lease journal " + file + " is not readable: it has no complete header line");
    }
}
