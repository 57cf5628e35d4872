package lab.appliance.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code <state-dir>/leases.journal} as the appliance contract describes it: a header line
 * {@code {"format":"appliance-lease-journal","version":1}}, then one flat JSON object per change.
 *
 * <p>Only flat string fields are read, with a pattern, because the appliance module has no JSON library on its
 * test classpath yet; a line missing {@code ip}, {@code mac} or {@code state} fails naming file and line.
 */
public final class LeaseJournalFile {

    private static final Pattern HEADER =
            Pattern.compile("\\{\\s*\"format\"\\s*:\\s*\"appliance-lease-journal\"\\s*,\\s*\"version\"\\s*:\\s*1\\s*}");

    private final Path file;

    public LeaseJournalFile(Path stateDir) {
        this.file = stateDir.resolve("leases.journal");
    }

    public Path file() {
        return file;
    }

    /** Every change line in file order; empty while the file does not exist. */
    public List<JournalEntry> entries() {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (lines.isEmpty()) {
            return List.of();
        }
        if (!HEADER.matcher(lines.get(0).trim()).matches()) {
            throw new IllegalStateException(file + ":1: not the journal header: " + lines.get(0));
        }
        List<JournalEntry> entries = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int number = i + 1;
            entries.add(new JournalEntry(number, required(line, "ip", number), required(line, "mac", number),
                    required(line, "state", number), field(line, "hostname").orElse("")));
        }
        return entries;
    }

    /** The entries for {@code ip} in file order. */
    public List<JournalEntry> entriesFor(String ip) {
        return entries().stream().filter(e -> e.ip().equals(ip)).toList();
    }

    /** True when some line records {@code ip} for {@code mac} in {@code state}. */
    public boolean has(String ip, String mac, String state) {
        return entries().stream().anyMatch(e -> e.ip().equals(ip) && e.mac().equals(mac) && e.state().equals(state));
    }

    private String required(String line, String key, int number) {
        return field(line, key).orElseThrow(() ->
                new IllegalStateException(file + ":" + number + ": no \"" + key + "\" string in " + line));
    }

    private static Optional<String> field(String line, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"([^\"\\\\]*)\"").matcher(line);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
