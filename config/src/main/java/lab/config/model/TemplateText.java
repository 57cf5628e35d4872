package lab.config.model;

import java.util.Objects;
import lab.config.ConfigProblem;

/**
 * The source of a template (user-data, vendor-data, a host name pattern) and where its first character stands, so
 * an error the template engine finds later is reported at its place in the config file or the template file.
 *
 * <p>For an inline block scalar ({@code |}) the position is the line after the indicator at the content's
 * indentation; for a plain or quoted scalar, its first character; for a {@code -file}, line 1 column 1 of that file.
 *
 * @param file the config file's name for inline text, or the {@code -file} value as written
 * @param path the YAML path of the key that holds the text or names the file, e.g. {@code profiles.waf.user-data}
 */
public record TemplateText(String text, String file, int line, int column, String path) {

    public TemplateText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("position must be 1-based: " + line + ":" + column);
        }
    }

    /**
     * A problem at 1-based {@code templateLine}/{@code templateColumn} of this text, placed in the file: later lines
     * keep their column, the first line is shifted by where the text starts.
     */
    public ConfigProblem problemAt(int templateLine, int templateColumn, String problemPath, String message) {
        int fileLine = line + templateLine - 1;
        int fileColumn = templateLine == 1 ? column + templateColumn - 1 : templateColumn;
        return new ConfigProblem(file, fileLine, fileColumn, problemPath, message);
    }
}
