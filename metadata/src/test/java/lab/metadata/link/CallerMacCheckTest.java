package lab.metadata.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallerMacCheckTest {

    private static final String LEASE_MAC = "52:54:00:ab:00:11";

    private final CallerMacCheck check = new CallerMacCheck();
    private final InetAddress caller = InetAddress.getLoopbackAddress();

    @Test
    void admitsTheLeasesMacAndARoutedCallerAndRefusesAnotherMac() {
        assertThat(check.admits("metadata", caller, LEASE_MAC, Optional.of(LEASE_MAC))).isTrue();
        assertThat(check.admits("metadata", caller, LEASE_MAC, Optional.of("52:54:00:AB:00:11"))).isTrue();
        assertThat(check.admits("metadata", caller, LEASE_MAC, Optional.empty())).isTrue();
        assertThat(check.refused()).isZero();

        assertThat(check.admits("metadata", caller, LEASE_MAC, Optional.of("02:00:00:00:66:66"))).isFalse();
        assertThat(check.admits("password server", caller, LEASE_MAC, Optional.of("02:00:00:00:66:66"))).isFalse();
        assertThat(check.refused()).isEqualTo(2);
    }

    @Test
    void aFloodOfForgedMacsKeepsRefusingWithBoundedMemory() {
        for (int i = 0; i < 5000; i++) {
            String forged = String.format("02:00:00:%02x:%02x:%02x", i >> 16 & 0xff, i >> 8 & 0xff, i & 0xff);
            assertThat(check.admits("metadata", caller, LEASE_MAC, Optional.of(forged))).isFalse();
        }
        assertThat(check.refused()).isEqualTo(5000);
    }
}
