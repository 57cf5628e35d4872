package lab.appliance.netns;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where this repository's checkout is, for tests that run its scripts (the appliance module is one level down). */
final class Repository {

    private Repository() {
    }

    /** The checkout's top directory: the parent of the module Maven runs the tests in. */
    static Path root() {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        Path top = module.getParent();
        if (top == null || !Files.isDirectory(top.resolve("scripts"))) {
            throw new IllegalStateException("no scripts/ beside the module " + module);
        }
        return top;
    }
}
