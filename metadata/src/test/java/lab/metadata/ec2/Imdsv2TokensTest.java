package lab.metadata.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import lab.metadata.TestInstances;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Imdsv2TokensTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"0", "21601", "-5", "abc", "", "1.5"})
    void ttlOutsideOneToSixHoursIsRejected(String header) {
        assertThat(Imdsv2Tokens.parseTtl(header)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"1,1", "21600,21600", " 60 ,60"})
    void ttlInsideTheRangeIsAccepted(String header, long seconds) {
        assertThat(Imdsv2Tokens.parseTtl(header)).contains(Duration.ofSeconds(seconds));
    }

    @Test
    void missingTtlIsRejected() {
        assertThat(Imdsv2Tokens.parseTtl(null)).isEmpty();
    }

    @Test
    void tokenIsBoundToItsCallerAndExpires() {
        MutableClock clock = new MutableClock(NOW);
        Imdsv2Tokens tokens = new Imdsv2Tokens(clock, 10);
        String token = tokens.issue(TestInstances.ip("192.0.2.17"), Duration.ofSeconds(60)).orElseThrow();
        assertThat(tokens.isValid(token, TestInstances.ip("192.0.2.17"))).isTrue();
        assertThat(tokens.isValid(token, TestInstances.ip("192.0.2.18"))).isFalse();
        assertThat(tokens.isValid("forged", TestInstances.ip("192.0.2.17"))).isFalse();
        clock.now = NOW.plusSeconds(60);
        assertThat(tokens.isValid(token, TestInstances.ip("192.0.2.17"))).isFalse();
    }

    @Test
    void onlyTheWholeTokenIsValidNotAPrefixAnExtensionOrAnotherOfTheSameLength() {
        Imdsv2Tokens tokens = new Imdsv2Tokens(new MutableClock(NOW), 10);
        String token = tokens.issue(TestInstances.ip("192.0.2.17"), Duration.ofSeconds(60)).orElseThrow();
        char last = token.charAt(token.length() - 1);
        String oneOff = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(tokens.isValid(" " + token + " ", TestInstances.ip("192.0.2.17"))).as("blanks around").isTrue();
        for (String guess : new String[] {"", token.substring(0, 1), token.substring(0, token.length() - 1),
            token + "A", oneOff}) {
            assertThat(tokens.isValid(guess, TestInstances.ip("192.0.2.17"))).as("guess %s", guess).isFalse();
        }
    }

    @Test
    void aTokenFromAnotherApplianceIsNotValidHere() {
        Imdsv2Tokens one = new Imdsv2Tokens(new MutableClock(NOW), 10);
        Imdsv2Tokens other = new Imdsv2Tokens(new MutableClock(NOW), 10);
        String token = one.issue(TestInstances.ip("192.0.2.17"), Duration.ofSeconds(60)).orElseThrow();

        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(other.isValid(token, TestInstances.ip("192.0.2.17"))).isFalse();
    }

    @Test
    void capacityBoundsLiveTokensAndExpiredOnesMakeRoom() {
        MutableClock clock = new MutableClock(NOW);
        Imdsv2Tokens tokens = new Imdsv2Tokens(clock, 2);
        tokens.issue(TestInstances.ip("192.0.2.17"), Duration.ofSeconds(10)).orElseThrow();
        tokens.issue(TestInstances.ip("192.0.2.17"), Duration.ofSeconds(10)).orElseThrow();
        assertThat(tokens.issue(TestInstances.ip("192.0.2.17"), Duration.ofSeconds(10))).isEmpty();
        clock.now = NOW.plusSeconds(10);
        assertThat(tokens.issue(TestInstances.ip("192.0.2.17"), Duration.ofSeconds(10))).isPresent();
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
