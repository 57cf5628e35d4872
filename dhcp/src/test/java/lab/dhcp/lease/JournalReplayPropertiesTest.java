package lab.dhcp.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import lab.dhcp.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of journal replay over arbitrary records with arbitrary damage ({@link DamagedJournal}): lines cut
 * short, garbage lines, a torn last line, flipped bytes. Within the damage budget replay never throws, returns every
 * intact record in order, takes nothing from a line but a record as the format writes it, and the lease table it
 * fills keeps the latest record per address and per MAC as {@link LeaseTable} documents; the torn tail is cut off, so
 * the next append starts a line of its own.
 */
class JournalReplayPropertiesTest {

    /** Eight addresses and eight MACs, so later records often replace earlier ones. */
    private static final int IDENTITIES = 8;
    /** Before every generated lease starts, so the table does not turn any into EXPIRED. */
    private static final Clock BEFORE_EVERYTHING = Clock.fixed(TestLeases.T0.minus(Duration.ofDays(1)), ZoneOffset.UTC);

    /** JSON by the grammar alone: one value a line, each key once. */
    private static final ObjectMapper STRICT_JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @TempDir
    Path root;

    private final JournalFormat format = new JournalFormat();
    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void replayReturnsEveryIntactRecordAndNothingButRecordsAsWritten() {
        qt().withExamples(1000).forAll(records(), damage(true), tornTails()).checkAssert((records, damage, torn) -> {
            DamagedJournal journal = DamagedJournal.of(format, records, damage, torn);
            Path file = write(journal).resolve(LeaseJournal.JOURNAL_NAME);

            JournalReplay.Result result = read(file);

            if (!journal.intactRecords().isEmpty()) {
                // (AssertJ refuses an empty subsequence unless the list is empty too.)
                assertThat(result.records()).as("every intact record, in order")
                        .containsSubsequence(journal.intactRecords());
            }
            Set<String> lines = journal.completeLines().stream().map(JournalReplayPropertiesTest::asJson)
                    .collect(Collectors.toSet());
            for (Lease kept : result.records()) {
                byte[] encoded = format.encode(kept);
                String line = asJson(Arrays.copyOf(encoded, encoded.length - 1));
                if (!lines.contains(line)) {
                    throw new AssertionError(escaped("kept " + kept + " from no line the format would write for it: "
                            + line + "\nlines:\n" + String.join("\n", lines)));
                }
            }
            assertThat(result.lines()).isEqualTo(journal.completeLines().size());
            assertThat(result.skipped()).isEqualTo(result.lines() - result.records().size());
            assertThat(result.validLength()).as("up to the last newline")
                    .isEqualTo(journal.bytes().length - journal.partialTail());
            if (journal.undamaged()) {
                assertThat(result.records()).isEqualTo(records);
                assertThat(result.skipped()).isZero();
            }
        });
    }

    @Test
    void theTableKeepsTheLatestRecordPerAddressAndMacAndTheNextAppendIsALineOfItsOwn() {
        qt().withExamples(200).forAll(records(), damage(false), tornTails()).checkAssert((records, damage, torn) -> {
            DamagedJournal journal = DamagedJournal.of(format, records, damage, torn);
            Path stateDir = write(journal);
            List<Lease> kept = journal.intactRecords();
            Lease appended = TestLeases.active(IDENTITIES + 1);

            try (LeaseTable table = new LeaseTable(new LeaseJournal(stateDir), BEFORE_EVERYTHING)) {
                assertThatCode(table::open).doesNotThrowAnyException();
                Map<Inet4Address, Lease> latestByIp = new LinkedHashMap<>();
                kept.forEach(lease -> latestByIp.put(lease.ip(), lease));
                for (int n = 0; n < IDENTITIES; n++) {
                    assertThat(table.byIp(TestLeases.ip(n))).as("ip %d", n)
                            .isEqualTo(Optional.ofNullable(latestByIp.get(TestLeases.ip(n))));
                    assertThat(table.byMac(TestLeases.mac(n))).as("mac %d", n)
                            .isEqualTo(latestOfMac(kept, latestByIp, TestLeases.mac(n)));
                }
                assertThat(table.all()).containsExactlyInAnyOrderElementsOf(latestByIp.values());
                table.commit(appended).join();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }

            JournalReplay.Result again = read(stateDir.resolve(LeaseJournal.JOURNAL_NAME));
            List<Lease> expected = new ArrayList<>(kept);
            expected.add(appended);
            assertThat(again.records()).as("the torn tail was cut off before the append").isEqualTo(expected);
            assertThat(again.skipped()).isEqualTo(journal.completeLines().size() - kept.size());
        });
    }

    /** As {@link LeaseTable} documents it: a MAC has its latest record, unless that record's address went on. */
    private static Optional<Lease> latestOfMac(List<Lease> kept, Map<Inet4Address, Lease> latestByIp,
                                               MacAddress mac) {
        Lease last = null;
        for (Lease lease : kept) {
            if (lease.mac().equals(mac)) {
                last = lease;
            }
        }
        if (last == null) {
            return Optional.empty();
        }
        Lease holder = latestByIp.get(last.ip());
        return holder.mac().equals(mac) ? Optional.of(holder) : Optional.empty();
    }

    private JournalReplay.Result read(Path file) {
        JournalReplay.Result[] result = new JournalReplay.Result[1];
        assertThatCode(() -> result[0] = new JournalReplay(file, format).read()).as("replay within the damage budget")
                .doesNotThrowAnyException();
        return result[0];
    }

    /** A fresh state directory holding the journal. */
    private Path write(DamagedJournal journal) {
        try {
            Path dir = Files.createDirectories(root.resolve("run-" + runs.incrementAndGet()));
            journal.writeTo(dir.resolve(LeaseJournal.JOURNAL_NAME));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Gen<List<Lease>> records() {
        Gen<Lease> lease = integers().between(0, IDENTITIES - 1).zip(integers().between(0, IDENTITIES - 1),
                Generate.enumValues(LeaseState.class), longs().between(0, 10_000_000),
                integers().between(0, 2 * 86_400), (ip, mac, state, startNanos, seconds) -> new Lease(TestLeases.ip(ip),
                        TestLeases.mac(mac), "", "", "", TestLeases.T0.plusNanos(startNanos * 1_000_003),
                        TestLeases.T0.plusNanos(startNanos * 1_000_003).plusSeconds(seconds), state));
        Gen<String[]> texts = strings().allPossible().ofLengthBetween(0, 10).zip(
                strings().basicLatinAlphabet().ofLengthBetween(0, 8), Generate.byteArrays(integers().between(0, 8),
                        Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)),
                (hostname, profile, clientId) -> new String[] {hostname, profile, HexFormat.of().formatHex(clientId)});
        Gen<Lease> full = lease.zip(texts, (l, t) -> new Lease(l.ip(), l.mac(), t[2], t[0], t[1], l.start(),
                l.expires(), l.state()));
        return lists().of(full).ofSizeBetween(0, 40).describedAs(leases -> escaped(leases.toString()));
    }

    /**
     * Up to three cut lines, two garbage lines and (when asked) two flipped bytes: at most nine damaged lines (a flip
     * can split one into two), within the budget of ten that replay skips without refusing the file.
     */
    private static Gen<List<DamagedJournal.Damage>> damage(boolean flips) {
        Gen<List<DamagedJournal.Damage>> cuts = upTo(3, DamagedJournal.Damage.Kind.CUT_LINE);
        Gen<List<DamagedJournal.Damage>> garbage = upTo(2, DamagedJournal.Damage.Kind.GARBAGE_LINE);
        Gen<List<DamagedJournal.Damage>> flipped = flips
                ? upTo(2, DamagedJournal.Damage.Kind.FLIP_BYTE) : Generate.constant(List.of());
        return cuts.zip(garbage, flipped, (a, b, c) -> {
            List<DamagedJournal.Damage> all = new ArrayList<>(a);
            all.addAll(b);
            all.addAll(c);
            return all;
        });
    }

    private static Gen<List<DamagedJournal.Damage>> upTo(int n, DamagedJournal.Damage.Kind kind) {
        return lists().of(one(kind)).ofSizeBetween(0, n);
    }

    /** How much of one more record a crash left after the last newline; 0 for none. */
    private static Gen<Integer> tornTails() {
        return integers().between(0, 400);
    }

    private static Gen<DamagedJournal.Damage> one(DamagedJournal.Damage.Kind kind) {
        return integers().between(0, 1000).zip(integers().between(0, 100_000), integers().between(0, 100_000),
                (line, at, value) -> new DamagedJournal.Damage(kind, line, at, value));
    }

    /** Control and non-ASCII characters as \\uXXXX: test reports lose everything after a control character. */
    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c == '\n' || (c >= 0x20 && c < 0x7F) ? String.valueOf((char) c)
                : String.format(Locale.ROOT, "\\u%04x", c)));
        return out.toString();
    }

    /**
     * A line as the reader tells lines apart: as one JSON object, so that whitespace and escapes do not count, with
     * letter case and "-" for ":" not counting either, since a MAC may be written either way (MacAddress.parse) and
     * ISO-8601's "T" and "Z" in lower case (Instant.parse). Bytes that are not one JSON object stay as they are (as
     * ISO-8859-1, so a flip that breaks UTF-8 still shows), and can then match no record.
     */
    private static String asJson(byte[] line) {
        try {
            String json = STRICT_JSON.writeValueAsString(STRICT_JSON.readTree(line));
            return json.toLowerCase(Locale.ROOT).replace('-', ':');
        } catch (IOException e) {
            return "not JSON: " + new String(line, StandardCharsets.ISO_8859_1);
        }
    }
}
