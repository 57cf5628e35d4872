package lab.appliance.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code launch-args --for qemu}: one qemu option with its value per line, shell-quoted; {@code #} lines are for
 * humans. QemuOpts values ({@code -smbios}) double any comma, which is how qemu escapes it.
 */
public final class QemuLaunchArgs {

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private QemuLaunchArgs() {
    }

    public static List<String> lines(GuestHints hints) {
        List<String> lines = new ArrayList<>();
        if (!hints.smbios().isEmpty()) {
            StringBuilder value = new StringBuilder("type=1");
            for (Map.Entry<String, String> field : hints.smbios().entrySet()) {
                value.append(',').append(field.getKey()).append('=').append(field.getValue().replace(",", ",,"));
            }
            lines.add("-smbios " + shellQuote(value.toString()));
        }
        hints.kernelWords().ifPresent(words -> {
            lines.add("# -append works with direct kernel boot (-kernel/-initrd) only; booting the image's own boot "
                    + "loader, put these words on its kernel command line instead (GRUB_CMDLINE_LINUX in "
                    + "/etc/default/grub; GRUB needs ; written as \\;).");
            lines.add(appendOption(words));
        });
        return lines;
    }

    /** The option lines alone, without the explanations: what a VM definition needs. */
    public static List<String> options(GuestHints hints) {
        return lines(hints).stream().filter(line -> !line.startsWith("#")).toList();
    }

    /** {@code -append '<words>'}; always quoted: the words are one argument, and an edit may add a blank or ';'. */
    static String appendOption(String words) {
        return "-append '" + words.replace("'", "'\\''") + "'";
    }

    /** {@code text} as one shell word: as it is when that is safe, else in single quotes. */
    static String shellQuote(String text) {
        if (SHELL_SAFE.matcher(text).matches()) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
