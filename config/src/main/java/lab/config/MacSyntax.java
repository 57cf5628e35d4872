package lab.config;

import java.util.Locale;
import java.util.regex.Pattern;

/** Reads MAC addresses: six hex pairs separated by {@code :} or {@code -} (one kind throughout), any case. */
public final class MacSyntax {

    private static final Pattern MAC = Pattern.compile("\\p{XDigit}{2}([:-])\\p{XDigit}{2}(?:\\1\\p{XDigit}{2}){4}");

    private MacSyntax() {
    }

    /** Parses a MAC address into its normal form, lowercase with colons: {@code 02:00:00:00:01:0a}. */
    public static String parse(String text) throws InvalidValueException {
        if (!MAC.matcher(text).matches()) {
            throw new InvalidValueException(ConfigProblem.quote(text) + " is not a MAC address (expected six hex pairs "
                    + "separated by : or -, e.g. 02:00:00:00:00:01)");
        }
        return text.replace('-', ':').toLowerCase(Locale.ROOT);
    }
}
