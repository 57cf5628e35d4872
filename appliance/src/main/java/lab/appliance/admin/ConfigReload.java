package lab.appliance.admin;

import java.util.List;
import lab.config.ConfigProblem;

/** Re-reads the config file and applies what can be applied while running; the problems if it was not valid. */
@FunctionalInterface
public interface ConfigReload {

    /** Empty when the new config was applied; else every problem, and the running config stays. */
    List<ConfigProblem> reload();
}
