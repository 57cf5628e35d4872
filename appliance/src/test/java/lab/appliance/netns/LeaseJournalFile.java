package lab.appliance.netns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code <state-dir>/leases.journal} as a user would: a header line
 * {@code {"format":"appliance-lease-journal","version":1}}, then one JSON object per change; a line missing
 * {@code ip}, {@code mac} or {@code state} fails naming file and line.
 */
public final class LeaseJournalFile {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        JsonNode header = parse(lines.get(0), 1);
        if (!"appliance-lease-journal".equals(header.path("format").asText()) || header.path("version").asInt() != 1) {
            throw new IllegalStateException(file + ":1: not the journal header: " + lines.get(0));
        }
        List<JournalEntry> entries = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            int number = i + 1;
            JsonNode line = parse(lines.get(i), number);
            entries.add(new JournalEntry(number, required(line, "ip", number), required(line, "mac", number),
                    required(line, "state", number), line.path("hostname").asText(""),
                    line.path("profile").asText("")));
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

    private JsonNode parse(String line, int number) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(file + ":" + number + ": not JSON: " + line, e);
        }
    }

    private String required(JsonNode line, String key, int number) {
        JsonNode value = line.get(key);
        if (value == null || !value.isTextual()) {
            throw new IllegalStateException(file + ":" + number + ": no \"" + key + "\" string in " + line);
        }
        return value.asText();
    }
}
