package lab.appliance;

import lab.config.ConfigProblem;

/** Makes a problem about a config key, pointing at where that key was written. */
@FunctionalInterface
public interface ProblemLocator {

    ConfigProblem at(String yamlPath, String message);
}
