package lab.reliability;

import java.util.Locale;

/**
 * One kill of a crash storm and what the restart after it showed.
 *
 * @param crash         where the kill landed
 * @param acks          DHCPACKs captured during this kill's storm
 * @param captureMissed packets that matched the capture but never reached its file (see {@link AckCapture.Result})
 * @param load          what the restart's log says about loading the journal
 * @param api           every lease ACKed so far against the admin API's table after the restart
 * @param journal       the same against the journal file after the restart
 */
record KillOutcome(Crash crash, int acks, long captureMissed, JournalLoad load, LeaseAudit api, LeaseAudit journal) {

    static final String HEADER = String.format(Locale.ROOT,
            "%-5s %-9s %-12s %-16s %6s %6s %7s %7s %5s %4s %8s %5s %-5s", "kill", "landed", "aimed at",
            "compact at kill", "acks", "missed", "acked", "found", "lost", "dup", "loaded", "skip", "torn");

    /** Nothing ACKed was lost or doubled, by either reading, and the journal loaded without skipping a line. */
    boolean clean() {
        return api.lost().isEmpty() && journal.lost().isEmpty() && api.duplicates().isEmpty()
                && journal.duplicates().isEmpty() && load.skipped() == 0 && crash.exitStatus() == Crash.SIGKILLED;
    }

    /** One line under {@link #HEADER}; found, lost and dup are the admin API's, with the journal's if they differ. */
    String line() {
        String aimed = crash.moment().atCompaction()
                ? (crash.sawCompaction() ? "compaction" : "compaction?")
                : "random";
        String compact = crash.compactionInProgress() ? "yes " + crash.compactBytes() + " B" : "no";
        return String.format(Locale.ROOT, "%-5s %-9s %-12s %-16s %6d %6d %7d %7s %5s %4s %8d %5d %-5s",
                "#" + crash.moment().number(), crash.landedAfter().toMillis() + " ms", aimed, compact, acks,
                captureMissed, api.acked(),
                both(api.found(), journal.found()), both(api.lost().size(), journal.lost().size()),
                both(api.duplicates().size(), journal.duplicates().size()), load.records(), load.skipped(),
                load.tornTail() ? "yes" : "no");
    }

    private static String both(int fromApi, int fromJournal) {
        return fromApi == fromJournal ? Integer.toString(fromApi) : fromApi + "/" + fromJournal;
    }
}
