package lab.appliance.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The phase table: events in order → phase of the boot. */
class BootProgressTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "''                                                  | NO_LEASE",
        "DISCOVER OFFER REQUEST                              | NO_LEASE",
        "DISCOVER OFFER REQUEST ACK                          | LEASED",
        "ACK METADATA                                        | METADATA",
        "ACK PASSWORD_FETCHED                                | METADATA",
        "ACK METADATA_ERROR                                  | METADATA",
        "ACK REPORT                                          | LEASED",
        "ACK METADATA USER_DATA                              | USER_DATA",
        "ACK METADATA USER_DATA REQUEST ACK                  | USER_DATA",
        "ACK METADATA USER_DATA PHONE_HOME                   | FINISHED",
        "ACK METADATA USER_DATA FINISHED                     | FINISHED",
        "ACK METADATA USER_DATA PHONE_HOME FAILED            | FAILED",
        "ACK METADATA FAILED PHONE_HOME                      | FAILED",
        "ACK DECLINE                                         | FAILED",
        "ACK METADATA NAK                                    | NO_LEASE",
        "ACK METADATA RELEASE                                | NO_LEASE",
        "ACK FINISHED RELEASE                                | FINISHED",
        "ACK FINISHED ACK METADATA                           | FINISHED",
    })
    void phaseFollowsTheEvents(String kinds, BootPhase expected) {
        List<BootEvent> events = kinds.isBlank() ? List.of() : Arrays.stream(kinds.trim().split("\\s+"))
            .map(kind -> new BootEvent(Instant.EPOCH, BootEvent.Kind.valueOf(kind), "")).toList();

        assertThat(BootProgress.phaseOf(events)).isEqualTo(expected);
    }
}
