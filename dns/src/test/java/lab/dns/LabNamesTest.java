package lab.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LabNamesTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final Instant LATER = NOW.plus(Duration.ofHours(1));
    private final LabNames names = new LabNames(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aLeaseResolvesBothWaysInAnyCase() {
        names.put("02:00:00:00:00:01", ip("10.20.1.5"), List.of("Waf-1", "ip-10-20-1-5"), LATER);

        assertEquals(Optional.of(ip("10.20.1.5")), names.address("waf-1"));
        assertEquals(Optional.of(ip("10.20.1.5")), names.address("IP-10-20-1-5"));
        assertEquals(Optional.of("waf-1"), names.name(ip("10.20.1.5")));
    }

    @Test
    void aMovedLeaseTakesItsNamesAlongAndFreesTheOldAddress() {
        names.put("02:00:00:00:00:01", ip("10.20.1.5"), List.of("waf-1"), LATER);
        names.put("02:00:00:00:00:01", ip("10.20.1.9"), List.of("waf-1"), LATER);

        assertEquals(Optional.of(ip("10.20.1.9")), names.address("waf-1"));
        assertEquals(Optional.empty(), names.name(ip("10.20.1.5")));
        assertEquals(Optional.of("waf-1"), names.name(ip("10.20.1.9")));
    }

    @Test
    void aNameClaimedByANewerLeaseMovesToIt() {
        names.put("02:00:00:00:00:01", ip("10.20.1.5"), List.of("box"), LATER);
        names.put("02:00:00:00:00:02", ip("10.20.1.6"), List.of("box"), LATER);

        assertEquals(Optional.of(ip("10.20.1.6")), names.address("box"));
        assertEquals(Optional.of("box"), names.name(ip("10.20.1.5")), "the older lease keeps its reverse name");
    }

    @Test
    void anAddressTakenOverByAnotherOwnerDropsTheFormerOwnersNames() {
        names.put("02:00:00:00:00:01", ip("10.20.1.5"), List.of("old"), LATER);
        names.put("02:00:00:00:00:02", ip("10.20.1.5"), List.of("new"), LATER);

        assertEquals(Optional.empty(), names.address("old"));
        assertEquals(Optional.of("new"), names.name(ip("10.20.1.5")));
    }

    @Test
    void removeForgetsOnlyTheAddressTheOwnerStillHolds() {
        names.put("02:00:00:00:00:01", ip("10.20.1.9"), List.of("waf-1"), LATER);
        names.remove("02:00:00:00:00:01", ip("10.20.1.5"));
        assertEquals(Optional.of(ip("10.20.1.9")), names.address("waf-1"));

        names.remove("02:00:00:00:00:01", ip("10.20.1.9"));
        assertEquals(Optional.empty(), names.address("waf-1"));
        assertEquals(0, names.size());
    }

    @Test
    void anExpiredLeaseNoLongerAnswers() {
        names.put("02:00:00:00:00:01", ip("10.20.1.5"), List.of("waf-1"), NOW);

        assertEquals(Optional.empty(), names.address("waf-1"));
        assertEquals(Optional.empty(), names.name(ip("10.20.1.5")));
    }

    @Test
    void everyChangeMovesTheCounterButARepeatDoesNot() {
        long before = names.changes();
        names.put("02:00:00:00:00:01", ip("10.20.1.5"), List.of("waf-1"), LATER);
        long afterPut = names.changes();
        names.put("02:00:00:00:00:01", ip("10.20.1.5"), List.of("waf-1"), LATER);

        assertTrue(afterPut > before);
        assertEquals(afterPut, names.changes());
    }

    static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
