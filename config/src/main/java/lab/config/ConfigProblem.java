package lab.config;

import java.util.Objects;

/**
 * One thing wrong with a config file: where it is (1-based line and column, the YAML path) and what is wrong.
 *
 * <p>Line and column 0 mean the file as a whole (it could not be read at all).
 */
public record ConfigProblem(String file, int line, int column, String path, String message) {

    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("negative position " + line + ":" + column);
        }
    }

    /** {@code file:line:column: path: message}; a problem with the whole file omits the position. */
    @Override
    public String toString() {
        if (line == 0) {
            return file + ": " + path + ": " + message;
        }
        return file + ":" + line + ":" + column + ": " + path + ": " + message;
    }

    /** Text found in the file as problems quote it: in double quotes, with quotes, backslashes and controls escaped. */
    public static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else if (Character.isISOControl(c)) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }
}
