package lab.appliance.netns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The appliance's shaded jar as the server under test ({@code java -jar appliance.jar run …}). */
public final class ApplianceServer implements ServerUnderTest {

    private final Path jar;
    private final String java;

    private ApplianceServer(Path jar, String java) {
        this.jar = jar;
        this.java = java;
    }

    /**
     * The jar named by the system property {@code appliance.jar} (failsafe passes {@code target/appliance.jar}),
     * run by the same {@code java} as the tests. A missing jar fails: the ITs exist to test that jar.
     */
    public static ApplianceServer fromSystemProperty() {
        String property = System.getProperty("appliance.jar");
        if (property == null || property.isBlank()) {
            throw new IllegalStateException("system property appliance.jar is not set (run through mvn verify)");
        }
        Path jar = Path.of(property).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("appliance jar not found at " + jar + " (mvn verify packages it first)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ApplianceServer(jar, java);
    }

    @Override
    public String name() {
        return "appliance";
    }

    @Override
    public List<String> command(Path config, Path stateDir) {
        return List.of(java, "-jar", jar.toString(), "run", "--config", config.toString(),
                "--state-dir", stateDir.toString());
    }

    @Override
    public String readyLine() {
        return "appliance ready";
    }
}
