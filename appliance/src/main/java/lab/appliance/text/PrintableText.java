package lab.appliance.text;

import java.util.Locale;

/**
 * Text that came from a VM (the hostname its DHCP client sent, its boot reports' event names, the paths it asked for)
 * made safe to print on an operator's terminal or in a log line. A control character could start an escape sequence
 * that clears the screen, moves the cursor over other lines, retitles the window or writes the clipboard, and a line
 * break would forge a table row or a log line; a bidirectional override reorders what is shown. Each is printed as
 * its code instead ({@code \x1b}, {@code \u202e}), everything else as it is.
 */
public final class PrintableText {

    private PrintableText() {
    }

    /** {@code text} with its control characters and bidi overrides as codes; the same instance when it has none. */
    public static String of(String text) {
        StringBuilder safe = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String code = Character.getType(c) == Character.CONTROL ? String.format(Locale.ROOT, "\\x%02x", (int) c)
                    : isBidiControl(c) ? String.format(Locale.ROOT, "\\u%04x", (int) c) : null;
            if (code != null && safe == null) {
                safe = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (safe != null) {
                if (code != null) {
                    safe.append(code);
                } else {
                    safe.append(c);
                }
            }
        }
        return safe == null ? text : safe.toString();
    }

    // Unicode's explicit directional marks, embeddings, overrides and isolates (UAX #9).
    private static boolean isBidiControl(char c) {
        return c == '\u061c' || c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
