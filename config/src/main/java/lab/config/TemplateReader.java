package lab.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import lab.config.model.TemplateText;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads template text given inline ({@code user-data}) or as a file ({@code user-data-file}, relative to the config
 * file's directory), remembering where the text's first character stands so later template errors can point there.
 * Giving both forms, or a file that cannot be read, is reported at the {@code -file} value.
 */
final class TemplateReader {

    static final String FILE_SUFFIX = "-file";

    private final NodeReader nodes;
    private final Path configDirectory;
    private final List<String> sourceLines;

    TemplateReader(NodeReader nodes, Path configDirectory, String sourceText) {
        this.nodes = nodes;
        this.configDirectory = configDirectory;
        this.sourceLines = sourceText.lines().toList();
    }

    /** The text of {@code key} or of {@code key-file}, whichever was given. */
    Optional<TemplateText> inlineOrFile(MappingReader mapping, String key) {
        String fileKey = key + FILE_SUFFIX;
        if (mapping.has(key) && mapping.has(fileKey)) {
            mapping.get(fileKey).ifPresent(node -> nodes.problems().report(Origin.of(mapping.path().key(fileKey), node),
                    key + " and " + fileKey + " are both given (expected one of them)"));
            return Optional.empty();
        }
        return mapping.has(fileKey) ? file(mapping, fileKey) : inline(mapping, key);
    }

    /** The inline text of {@code key}, if given. */
    Optional<TemplateText> inline(MappingReader mapping, String key) {
        Optional<Node> node = mapping.get(key);
        Optional<Located<String>> text = mapping.scalar(key, ScalarTypes.TEXT);
        if (node.isEmpty() || text.isEmpty()) {
            return Optional.empty();
        }
        Origin origin = text.get().origin();
        ScalarStyle style = ((ScalarNode) node.get()).getScalarStyle();
        int line = origin.line();
        int column = origin.column();
        if (style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED) {
            // The node starts at the indicator; the text starts on the next line, at the content's indentation.
            line = origin.line() + 1;
            column = contentIndentation(origin.line()) + 1;
        } else if (style == ScalarStyle.DOUBLE_QUOTED || style == ScalarStyle.SINGLE_QUOTED) {
            column = origin.column() + 1;
        }
        return Optional.of(new TemplateText(text.get().value(), nodes.problems().file(), line, column,
                origin.path().toString()));
    }

    private Optional<TemplateText> file(MappingReader mapping, String fileKey) {
        Optional<Located<Path>> named = mapping.scalar(fileKey, ScalarTypes.FILE);
        if (named.isEmpty()) {
            return Optional.empty();
        }
        Path written = named.get().value();
        Origin origin = named.get().origin();
        try {
            String text = Files.readString(configDirectory.resolve(written), StandardCharsets.UTF_8);
            return Optional.of(new TemplateText(text, written.toString(), 1, 1, origin.path().toString()));
        } catch (IOException e) {
            nodes.problems().report(origin, ConfigProblem.quote(written.toString()) + " cannot be read ("
                    + reason(e) + ")");
            return Optional.empty();
        }
    }

    // The first non-blank line after the indicator's line (1-based), measured in leading spaces.
    private int contentIndentation(int indicatorLine) {
        for (int i = indicatorLine; i < sourceLines.size(); i++) {
            String line = sourceLines.get(i);
            if (!line.isBlank()) {
                return line.length() - line.stripLeading().length();
            }
        }
        return 0;
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
