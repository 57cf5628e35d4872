package lab.metadata.userdata;

import java.util.Objects;

/**
 * One problem in a user-data template.
 *
 * @param line    1-based line inside the template
 * @param column  1-based column inside the template (1 when the engine does not say)
 * @param message what is wrong
 */
public record TemplateError(int line, int column, String message) {
    public TemplateError {
        Objects.requireNonNull(message, "message");
    }
}
