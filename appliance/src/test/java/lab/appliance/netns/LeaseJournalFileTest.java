package lab.appliance.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseJournalFileTest {

    @TempDir
    Path stateDir;

    @Test
    void readsChangeLinesAfterTheHeaderWithLineNumbers() throws IOException {
        Files.writeString(stateDir.resolve("leases.journal"), """
                {"format":"appliance-lease-journal","version":1}
                {"ip":"10.20.1.1","mac":"02:00:00:10:00:01","state":"ACTIVE","hostname":"","expires":"2026-01-01T00:00:00Z"}
                {"ip":"10.20.1.1","mac":"02:00:00:10:00:01","state":"RELEASED","hostname":"vm-1","profile":"fleet"}
                """);
        LeaseJournalFile journal = new LeaseJournalFile(stateDir);

        assertThat(journal.entries()).containsExactly(
                new JournalEntry(2, "10.20.1.1", "02:00:00:10:00:01", "ACTIVE", "", ""),
                new JournalEntry(3, "10.20.1.1", "02:00:00:10:00:01", "RELEASED", "vm-1", "fleet"));
        assertThat(journal.has("10.20.1.1", "02:00:00:10:00:01", "RELEASED")).isTrue();
        assertThat(journal.has("10.20.1.1", "02:00:00:10:00:02", "RELEASED")).isFalse();
    }

    @Test
    void missingFileHasNoEntries() {
        assertThat(new LeaseJournalFile(stateDir).entries()).isEmpty();
    }

    @Test
    void wrongHeaderOrMissingFieldNamesFileAndLine() throws IOException {
        Path file = stateDir.resolve("leases.journal");
        Files.writeString(file, "{\"format\":\"other\"}\n");
        assertThatThrownBy(() -> new LeaseJournalFile(stateDir).entries())
                .hasMessageContaining(file + ":1: not the journal header");

        Files.writeString(file, "{\"format\":\"appliance-lease-journal\",\"version\":1}\n{\"ip\":\"10.20.1.1\"}\n");
        assertThatThrownBy(() -> new LeaseJournalFile(stateDir).entries())
                .hasMessageContaining(file + ":2: no \"mac\" string");
    }
}
