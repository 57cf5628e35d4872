package lab.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Collects the problems of one config file while it is bound and checked, so all of them are reported at once. */
public final class Problems {

    private final String file;
    private final List<ConfigProblem> found = new ArrayList<>();

    public Problems(String file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** Records that the value at {@code origin} is wrong, saying why. */
    public void report(Origin origin, String message) {
        found.add(new ConfigProblem(file, origin.line(), origin.column(), origin.path().toString(), message));
    }

    void reportSyntax(int line, int column, String message) {
        found.add(new ConfigProblem(file, line, column, "(syntax)", message));
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    /** Everything reported so far, sorted by position (the sort is stable, so ties keep their report order). */
    List<ConfigProblem> sorted() {
        List<ConfigProblem> copy = new ArrayList<>(found);
        copy.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
        return copy;
    }
}
