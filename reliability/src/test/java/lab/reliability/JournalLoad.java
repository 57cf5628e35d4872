package lab.reliability;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the appliance's log says about loading its lease journal at start.
 *
 * @param records             records replayed
 * @param skipped             damaged lines skipped
 * @param tornTail            the journal ended in a partial line (a kill mid-append), which was cut off
 * @param discardedCompaction an unfinished compaction file was found and deleted
 */
record JournalLoad(int records, int skipped, boolean tornTail, boolean discardedCompaction) {

    private static final Pattern OPENED =
            Pattern.compile("lease journal opened file=\\S+ records=(\\d+) skipped=(\\d+)");

    /** Reads the log of one appliance start; fails if the journal was never opened. */
    static JournalLoad from(String log) {
        Matcher opened = OPENED.matcher(log);
        if (!opened.find()) {
            throw new IllegalStateException("the appliance log has no 'lease journal opened' line:\n" + log);
        }
        return new JournalLoad(Integer.parseInt(opened.group(1)), Integer.parseInt(opened.group(2)),
                log.contains("lease journal ends in a partial line"),
                log.contains("unfinished lease journal compaction discarded"));
    }
}
