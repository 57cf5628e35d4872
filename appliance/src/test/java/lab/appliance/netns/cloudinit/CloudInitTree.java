package lab.appliance.netns.cloudinit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's cloud-init 22.4 package as {@code scripts/fetch-cloud-init.sh} unpacks it (never installed), plus the
 * system Python that has its dependencies.
 *
 * <p>The tree is found at the system property {@code cloudinit.root}, else the environment variable
 * {@code CLOUD_INIT_ROOT}, else {@code /var/cache/appliance-tests/cloud-init-22.4} (the script's default).
 */
public record CloudInitTree(Path root) {

    /** The default of {@code scripts/fetch-cloud-init.sh}. */
    public static final Path DEFAULT_ROOT = Path.of("/var/cache/appliance-tests/cloud-init-22.4");
    /** Debian's Python: the python3-* packages cloud-init imports are installed for it, not for other Pythons. */
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private static final String FETCH_HINT = "run scripts/fetch-cloud-init.sh";
    private static final List<String> MODULES = List.of(
            "yaml", "jinja2", "requests", "jsonpatch", "jsonschema", "configobj", "oauthlib", "netifaces");

    /** The tree named by the property, the variable or the default, whether or not it exists. */
    public static CloudInitTree located() {
        String property = System.getProperty("cloudinit.root");
        if (property != null && !property.isBlank()) {
            return new CloudInitTree(Path.of(property));
        }
        String variable = System.getenv("CLOUD_INIT_ROOT");
        if (variable != null && !variable.isBlank()) {
            return new CloudInitTree(Path.of(variable));
        }
        return new CloudInitTree(DEFAULT_ROOT);
    }

    /** The located tree; skips the test, saying what to run, when the tree, its Python modules or wget are missing. */
    public static CloudInitTree assumeAvailable() {
        CloudInitTree tree = located();
        Assumptions.assumeTrue(Files.isRegularFile(tree.pythonPath().resolve("cloudinit/sources/DataSourceEc2.py")),
                "cloud-init 22.4 not unpacked in " + tree.root() + ": " + FETCH_HINT);
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), PYTHON + " is missing: " + FETCH_HINT);
        Assumptions.assumeTrue(tree.pythonModulesImport(),
                "python3 modules for cloud-init missing (" + String.join(", ", MODULES) + "): " + FETCH_HINT);
        Assumptions.assumeTrue(onPath("wget"), "wget is missing (CloudStack's password step runs it): " + FETCH_HINT);
        return tree;
    }

    /** {@code usr/lib/python3/dist-packages} of the tree: the PYTHONPATH that makes {@code import cloudinit} work. */
    public Path pythonPath() {
        return root.resolve("usr/lib/python3/dist-packages");
    }

    private boolean pythonModulesImport() {
        try {
            Process process = new ProcessBuilder(PYTHON.toString(), "-c", "import " + String.join(", ", MODULES))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
