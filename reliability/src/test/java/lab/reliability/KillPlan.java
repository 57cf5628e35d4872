package lab.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Where the SIGKILLs of a crash storm land, drawn from one seed so that a failing run can be replayed: each kill comes
 * a random delay after its storm starts; every {@code compactionEvery}-th one then also waits for the next journal
 * compaction to begin, so that some kills land in the middle of one.
 */
final class KillPlan {

    /**
     * One kill.
     *
     * @param number       1-based
     * @param delay        after the storm starts
     * @param atCompaction after the delay, wait for a journal compaction to begin and kill then
     */
    record Moment(int number, Duration delay, boolean atCompaction) {

        @Override
        public String toString() {
            return "#" + number + " " + delay.toMillis() + " ms" + (atCompaction ? " +compaction" : "");
        }
    }

    private final long seed;
    private final List<Moment> moments;

    private KillPlan(long seed, List<Moment> moments) {
        this.seed = seed;
        this.moments = List.copyOf(moments);
    }

    /** {@code kills} moments with delays drawn uniformly from {@code earliest} to {@code latest}. */
    static KillPlan draw(long seed, int kills, Duration earliest, Duration latest, int compactionEvery) {
        if (kills < 1 || compactionEvery < 1 || latest.compareTo(earliest) < 0) {
            throw new IllegalArgumentException("kills " + kills + ", compaction every " + compactionEvery
                    + ", delays " + earliest + ".." + latest);
        }
        Random random = new Random(seed);
        long span = latest.toMillis() - earliest.toMillis();
        List<Moment> moments = new ArrayList<>();
        for (int number = 1; number <= kills; number++) {
            long delay = earliest.toMillis() + (span == 0 ? 0 : random.nextLong(span + 1));
            moments.add(new Moment(number, Duration.ofMillis(delay), number % compactionEvery == 0));
        }
        return new KillPlan(seed, moments);
    }

    List<Moment> moments() {
        return moments;
    }

    @Override
    public String toString() {
        return "seed " + seed + ": " + moments.stream().map(Moment::toString).collect(Collectors.joining(", "));
    }
}
