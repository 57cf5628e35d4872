package lab.config;

/**
 * Reads host and domain names by RFC 1123 §2.1: dot-separated labels of ASCII letters, digits and hyphens, 1-63
 * characters each, not starting or ending with a hyphen, at most 253 characters in all.
 */
public final class HostnameSyntax {

    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    private HostnameSyntax() {
    }

    /** Checks a host name and returns it as written (callers compare names without case). */
    public static String parse(String text) throws InvalidValueException {
        if (text.length() > MAX_NAME) {
            throw invalid(text, "it is longer than " + MAX_NAME + " characters");
        }
        for (String label : text.split("\\.", -1)) {
            checkLabel(text, label);
        }
        return text;
    }

    private static void checkLabel(String text, String label) throws InvalidValueException {
        if (label.isEmpty()) {
            throw invalid(text, "it has an empty label");
        }
        if (label.length() > MAX_LABEL) {
            throw invalid(text, "label " + ConfigProblem.quote(label) + " is longer than " + MAX_LABEL + " characters");
        }
        if (label.startsWith("-") || label.endsWith("-")) {
            throw invalid(text, "label " + ConfigProblem.quote(label) + " starts or ends with a hyphen");
        }
        int bad = label.codePoints().filter(c -> !isLetterDigitHyphen(c)).findFirst().orElse(-1);
        if (bad >= 0) {
            throw invalid(text, "label " + ConfigProblem.quote(label) + " contains " + ConfigProblem.quote(
                    Character.toString(bad)) + " (expected letters, digits and hyphens)");
        }
    }

    private static boolean isLetterDigitHyphen(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    }

    private static InvalidValueException invalid(String text, String reason) {
        return new InvalidValueException(ConfigProblem.quote(text) + " is not a valid host name: " + reason);
    }
}
