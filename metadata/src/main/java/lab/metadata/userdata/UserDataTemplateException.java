package lab.metadata.userdata;

import java.util.List;

/** A user-data template that could not be rendered, with every problem found and its position. */
public final class UserDataTemplateException extends Exception {

    private final List<TemplateError> errors;

    public UserDataTemplateException(List<TemplateError> errors) {
        super(describe(errors));
        this.errors = List.copyOf(errors);
    }

    public List<TemplateError> errors() {
        return errors;
    }

    private static String describe(List<TemplateError> errors) {
        StringBuilder text = new StringBuilder("user-data template failed:");
        errors.forEach(e -> text.append(' ').append(e.line()).append(':').append(e.column()).append(": ")
            .append(e.message()).append(';'));
        return text.toString();
    }
}
