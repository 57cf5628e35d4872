package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lab.config.ConfigLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every YAML example in the docs is loaded by the real loader, so the docs cannot drift from it. */
class ReadmeExamplesTest {

    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    static Stream<Arguments> examples() throws IOException {
        List<Arguments> found = new ArrayList<>();
        for (String doc : List.of("README.md", "config/README.md")) {
            Path file = REPO.resolve(doc);
            Matcher m = YAML_BLOCK.matcher(Files.readString(file));
            int n = 0;
            while (m.find()) {
                found.add(Arguments.of(doc + " example " + (++n), m.group(1)));
            }
        }
        assertThat(found).as("the README shows at least one config").isNotEmpty();
        return found.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void loadsWithoutProblems(String name, String yaml) {
        assertThatCode(() -> new ConfigLoader().load(name, yaml)).doesNotThrowAnyException();
    }
}
