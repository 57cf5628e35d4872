package lab.dhcp.lease;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A journal as the format writes it (header, one line per record) with damage done to it, and what the damage left
 * intact. Damage to the list of lines comes first (a line cut short, a garbage line put in), then the torn tail of a
 * crash mid-append, then flipped bytes anywhere after the header; a flipped newline joins two lines, a byte flipped
 * into a newline splits one. A record is intact when neither its bytes nor the newline before it were touched.
 */
final class DamagedJournal {

    /** One piece of damage; {@code at} and {@code value} are taken modulo what the kind needs. */
    record Damage(Kind kind, int line, int at, int value) {
        enum Kind { CUT_LINE, GARBAGE_LINE, FLIP_BYTE }
    }

    private final List<Lease> records;
    private final byte[] bytes;
    private final boolean[] intact;

    private DamagedJournal(List<Lease> records, byte[] bytes, boolean[] intact) {
        this.records = records;
        this.bytes = bytes;
        this.intact = intact;
    }

    /**
     * @param records  the records, in the order they were appended
     * @param damage   what happens to the lines and bytes
     * @param tornTail 0 for none, else how many bytes of one more record a crash left after the last newline (taken
     *                 modulo the record's length, never its whole line)
     */
    static DamagedJournal of(JournalFormat format, List<Lease> records, List<Damage> damage, int tornTail) {
        List<byte[]> lines = new ArrayList<>();
        List<Integer> recordOfLine = new ArrayList<>();
        boolean[] intact = new boolean[records.size()];
        Arrays.fill(intact, true);
        for (int i = 0; i < records.size(); i++) {
            lines.add(format.encode(records.get(i)));
            recordOfLine.add(i);
        }
        for (Damage d : damage) {
            if (d.kind() == Damage.Kind.CUT_LINE && !lines.isEmpty()) {
                int line = d.line() % lines.size();
                byte[] whole = lines.get(line);
                if (whole.length < 2) {
                    continue;   // already cut to its newline
                }
                // At least the newline and one byte go: a cut line is never a whole record.
                byte[] cut = Arrays.copyOf(whole, d.at() % (whole.length - 1) + 1);
                cut[cut.length - 1] = '\n';
                lines.set(line, cut);
                markDamaged(intact, recordOfLine.get(line));
            } else if (d.kind() == Damage.Kind.GARBAGE_LINE) {
                int line = d.line() % (lines.size() + 1);
                // The record after it is still whole and still follows a newline: it stays intact.
                lines.add(line, garbage(d.at() % 120 + 1, d.value()));
                recordOfLine.add(line, -1);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(format.header());
        int headerLength = out.size();
        int[] lineStart = new int[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            lineStart[i] = out.size();
            out.writeBytes(lines.get(i));
        }
        if (tornTail > 0) {
            byte[] next = format.encode(records.isEmpty() ? TestLeases.active(1) : records.get(records.size() - 1));
            // Never its newline: then it would be a whole line.
            out.write(next, 0, tornTail % (next.length - 1) + 1);
        }
        byte[] file = out.toByteArray();
        for (Damage d : damage) {
            if (d.kind() != Damage.Kind.FLIP_BYTE || file.length == headerLength) {
                continue;
            }
            int at = headerLength + d.at() % (file.length - headerLength);
            file[at] ^= (byte) (d.value() % 255 + 1);
            int line = lineOf(lineStart, lines, at);
            if (line >= 0) {
                markDamaged(intact, recordOfLine.get(line));
                boolean newline = at == lineStart[line] + lines.get(line).length - 1;
                if (newline && line + 1 < lines.size()) {
                    markDamaged(intact, recordOfLine.get(line + 1));
                }
            }
        }
        return new DamagedJournal(List.copyOf(records), file, intact);
    }

    byte[] bytes() {
        return bytes;
    }

    void writeTo(Path file) throws IOException {
        Files.write(file, bytes);
    }

    /** The intact records, in order: replay must return every one of them. */
    List<Lease> intactRecords() {
        List<Lease> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (intact[i]) {
                out.add(records.get(i));
            }
        }
        return out;
    }

    /** Whether the damage left every line as written: all records intact and no other line (a torn tail aside). */
    boolean undamaged() {
        for (boolean b : intact) {
            if (!b) {
                return false;
            }
        }
        return completeLines().size() == records.size();
    }

    /** The complete lines after the header, without their newlines. */
    List<byte[]> completeLines() {
        List<byte[]> out = new ArrayList<>();
        int start = indexOf(bytes, 0) + 1;
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                out.add(Arrays.copyOfRange(bytes, start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /** Bytes after the last newline (the torn tail, perhaps with flips in it). */
    int partialTail() {
        int last = bytes.length - 1;
        while (last >= 0 && bytes[last] != '\n') {
            last--;
        }
        return bytes.length - 1 - last;
    }

    private static void markDamaged(boolean[] intact, int record) {
        if (record >= 0) {
            intact[record] = false;
        }
    }

    /** The line holding byte {@code at}, or -1 for the torn tail after the last line. */
    private static int lineOf(int[] lineStart, List<byte[]> lines, int at) {
        for (int i = 0; i < lineStart.length; i++) {
            if (at >= lineStart[i] && at < lineStart[i] + lines.get(i).length) {
                return i;
            }
        }
        return -1;
    }

    /** {@code length} bytes without a newline, then a newline: a line no writer of this format made. */
    private static byte[] garbage(int length, int seed) {
        byte[] bytes = new byte[length + 1];
        new SplittableRandom(seed).nextBytes(bytes);
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                bytes[i] = ' ';
            }
        }
        bytes[length] = '\n';
        return bytes;
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
