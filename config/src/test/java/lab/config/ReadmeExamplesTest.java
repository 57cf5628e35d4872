package lab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every YAML block in this module's README loads, so the documentation cannot drift from the loader. */
class ReadmeExamplesTest {

    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    static Stream<String> yamlBlocks() throws IOException {
        Path readme = Path.of(System.getProperty("basedir", "."), "README.md");
        Matcher matcher = YAML_BLOCK.matcher(Files.readString(readme, StandardCharsets.UTF_8));
        List<String> blocks = new ArrayList<>();
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        assertThat(blocks).as("yaml blocks in %s", readme).isNotEmpty();
        return blocks.stream();
    }

    @ParameterizedTest
    @MethodSource("yamlBlocks")
    void readmeExampleLoads(String yaml) {
        assertThatCode(() -> new ConfigLoader().load("README.md", yaml)).doesNotThrowAnyException();
    }
}
