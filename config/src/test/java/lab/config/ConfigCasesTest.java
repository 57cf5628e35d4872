package lab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One YAML file per case: every file under {@code config/valid} loads, and every file under {@code config/invalid}
 * fails with exactly the problems its {@code # expect: line:column: path: message} lines list, in file order.
 */
class ConfigCasesTest {

    private static final String EXPECT = "# expect: ";

    private final ConfigLoader loader = new ConfigLoader();

    static Stream<Path> validCases() throws IOException, URISyntaxException {
        return casesIn("config/valid");
    }

    static Stream<Path> invalidCases() throws IOException, URISyntaxException {
        return casesIn("config/invalid");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCases")
    void validCaseLoads(Path file) {
        assertThatCode(() -> loader.load(file)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCases")
    void invalidCaseReportsExactlyTheExpectedProblems(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> expected = text.lines()
                .filter(line -> line.startsWith(EXPECT))
                .map(line -> line.substring(EXPECT.length()))
                .toList();
        assertThat(expected).as("expect lines in %s", file).isNotEmpty();

        String name = file.getFileName().toString();
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> loader.load(name, text));

        assertThat(failure).as("%s should fail to load", name).isNotNull();
        assertThat(failure.problems())
                .extracting(p -> p.line() + ":" + p.column() + ": " + p.path() + ": " + p.message())
                .containsExactlyElementsOf(expected);
        assertThat(failure.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo(name));
    }

    private static Stream<Path> casesIn(String resource) throws IOException, URISyntaxException {
        Path directory = Path.of(ConfigCasesTest.class.getClassLoader().getResource(resource).toURI());
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> cases = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(cases).as("cases in %s", resource).isNotEmpty();
            return cases.stream();
        }
    }
}
