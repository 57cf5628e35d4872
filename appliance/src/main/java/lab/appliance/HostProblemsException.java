package lab.appliance;

import java.util.List;
import java.util.stream.Collectors;
import lab.config.ConfigProblem;

/** The host cannot run this config (interface, address, state directory, port); each problem names its config key. */
public final class HostProblemsException extends Exception {

    private final transient List<ConfigProblem> problems;

    public HostProblemsException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
