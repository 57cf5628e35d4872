package lab.dhcp.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JournalFormatTest {

    private final JournalFormat format = new JournalFormat();

    @Test
    void recordRoundTripsThroughOneLine() throws Exception {
        Lease lease = new Lease(TestLeases.ip(23), TestLeases.mac(0x17), "01020000000017", "vm \"quoted\" é", "waf",
                TestLeases.T0, TestLeases.T0.plus(Duration.ofSeconds(3600)), LeaseState.DECLINED);

        byte[] line = format.encode(lease);

        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        assertThat(new String(line, 0, line.length - 1, StandardCharsets.UTF_8)).doesNotContain("\n")
                .contains("\"ip\":\"192.0.2.23\"", "\"mac\":\"02:00:00:00:00:17\"",
                        "\"expires\":\"2026-01-02T04:04:05Z\"", "\"state\":\"DECLINED\"", "\"profile\":\"waf\"");
        assertThat(format.decode(line, 0, line.length - 1)).isEqualTo(lease);
    }

    /** Lines written before leases kept their profile have no such field: they read as no profile. */
    @Test
    void lineWithoutProfileReadsAsNoProfile() throws Exception {
        byte[] old = ("{\"ip\":\"192.0.2.23\",\"mac\":\"02:00:00:00:00:17\",\"state\":\"ACTIVE\","
                + "\"start\":\"2026-01-02T03:04:05Z\",\"expires\":\"2026-01-02T04:04:05Z\",\"clientId\":\"\","
                + "\"hostname\":\"vm1\"}").getBytes(StandardCharsets.UTF_8);

        Lease lease = format.decode(old, 0, old.length);

        assertThat(lease.profile()).isEmpty();
        assertThat(lease.hostname()).isEqualTo("vm1");
    }

    @Test
    void headerNamesFormatAndVersion() {
        byte[] header = format.header();

        assertThat(new String(header, StandardCharsets.UTF_8))
                .isEqualTo("{\"format\":\"appliance-lease-journal\",\"version\":1}\n");
        assertThat(format.headerProblem(header, header.length - 1)).isNull();
    }

    /** Found by the replay property test: a flipped byte made "profile" "qrofile", read as a line without one. */
    @Test
    void aLineWithAFieldThisFormatNeverWritesIsDamaged() {
        String line = new String(format.encode(TestLeases.active(1)), StandardCharsets.UTF_8).strip()
                .replace("\"profile\"", "\"qrofile\"");
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> format.decode(bytes, 0, bytes.length))
                .isInstanceOf(DamagedRecordException.class)
                .hasMessage("unknown field \"qrofile\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"format\":\"appliance-lease-journal\",\"version\":2} | version 2",
        "{\"format\":\"kea-csv\",\"version\":1}                  | does not name the format",
        "address,hwaddr,client_id                               | not a journal header",
    })
    void foreignHeadersAreNamed(String line, String problem) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);

        assertThat(format.headerProblem(bytes, bytes.length)).contains(problem);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"ip\":\"192.0.2.1\",\"mac\":                                      | not JSON",
        "[1,2]                                                               | not a JSON object",
        "{\"mac\":\"02:00:00:00:00:01\"}                                     | missing field ip",
        "{\"ip\":\"example.org\",\"mac\":\"02:00:00:00:00:01\"}              | bad ip \"example.org\"",
        "{\"ip\":\"192.0.2.300\",\"mac\":\"02:00:00:00:00:01\"}              | bad ip \"192.0.2.300\"",
        "{\"ip\":\"092.0.2.1\",\"mac\":\"02:00:00:00:00:01\"}                | bad ip \"092.0.2.1\" (expected dotted",
        "{\"ip\":\"192.0.2.1\",\"ip\":\"192.0.2.2\"}                          | not JSON: Duplicate field 'ip'",
        "{\"ip\":\"192.0.2.1\",\"mac\":\"02:00:00:00:00:01\"} {\"ip\":\"192.0.2.2\"} | not JSON: Trailing token",
        "{\"ip\":\"192.0.2.1\",\"mac\":\"02:00:00\"}                         | bad mac",
        "{\"ip\":\"192.0.2.1\",\"mac\":\"02:00:00:00:00:01\",\"state\":\"GONE\"} | unknown state \"GONE\"",
        "{\"ip\":\"192.0.2.1\",\"mac\":\"02:00:00:00:00:01\",\"state\":\"ACTIVE\",\"start\":\"yesterday\",\"expires\":\"2026-01-02T04:04:05Z\",\"clientId\":\"\",\"hostname\":\"\"} | bad start \"yesterday\"",
        "{\"ip\":\"192.0.2.1\",\"mac\":\"02:00:00:00:00:01\",\"state\":\"ACTIVE\",\"start\":\"2026-01-02T03:04:05Z\",\"expires\":\"2026-01-02T04:04:05Z\",\"clientId\":7,\"hostname\":\"\"} | field clientId is not a string",
        "{\"ip\":\"192.0.2.1\",\"mac\":\"02:00:00:00:00:01\",\"state\":\"ACTIVE\",\"start\":\"2026-01-02T03:04:05Z\",\"expires\":\"2026-01-02T04:04:05Z\",\"clientId\":\"\",\"hostname\":\"\",\"profile\":[]} | field profile is not a string",
    })
    void damagedLinesSayWhy(String line, String reason) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> format.decode(bytes, 0, bytes.length))
                .isInstanceOf(DamagedRecordException.class)
                .hasMessageContaining(reason);
    }
}
