package lab.appliance.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import lab.appliance.ConfigFile;
import lab.config.model.ApplianceConfig;
import lab.dhcp.MacAddress;
import lab.dhcp.engine.EngineFixture;
import lab.dhcp.engine.HostEntry;
import lab.dhcp.lease.LeaseJournal;
import lab.dhcp.lease.LeaseTable;
import lab.metadata.userdata.UserDataRenderer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who a VM is: only the DHCP engine's lookup (with the vendor class in hand) gives an unlisted VM its profile; every
 * other read gives nothing, so reading first cannot give the default profile to a VM meant for a vendor-class one.
 */
class InventoryTest {

    private static final String CONFIG = """
            network:
              interface: lab0
              address: 192.0.2.1/24
            dhcp:
              pools: [192.0.2.100-192.0.2.199]
              lease-time: 3600
              reservations: [{mac: "02:00:00:00:00:99", ip: 192.0.2.9}]
            metadata:
              default-profile: plain
            profiles:
              waf:
                match: {vendor-class: "waf-"}
                hostname: "waf-{{ seq }}"
              plain:
                hostname: "plain-{{ seq }}"
              edge:
                match: {mac-prefix: "02:00:00:ee"}
            vms:
              - mac: 02:00:00:00:00:01
                profile: edge
            """;
    private static final MacAddress UNLISTED = MacAddress.parse("02:00:00:00:00:17");
    private static final MacAddress LISTED = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress RESERVED = MacAddress.parse("02:00:00:00:00:99");

    @TempDir
    Path stateDir;

    private LeaseTable leases;
    private ProfileAssignments assignments;
    private LiveInventory inventory;

    @BeforeEach
    void start() throws Exception {
        ApplianceConfig config = ConfigFile.load("appliance.yaml", CONFIG).withStateDir(stateDir);
        leases = new LeaseTable(new LeaseJournal(stateDir),
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        leases.open();
        assignments = ProfileAssignments.load(stateDir);
        UserDataRenderer renderer = new UserDataRenderer();
        inventory = new LiveInventory(config, leases, assignments, new VmHostnames(renderer), renderer);
    }

    @AfterEach
    void stop() throws Exception {
        assignments.close();
        leases.close();
    }

    @Test
    void aReadBeforeTheEngineLooksUpGivesNothingAndTheVendorClassDecides() throws Exception {
        VmIdentity early = inventory.identify(UNLISTED.toString());

        assertThat(early.profile()).as("no profile yet, not the default").isEmpty();
        assertThat(early.seq()).isZero();
        assertThat(assignments.of(UNLISTED.toString())).as("a read assigns nothing").isEmpty();

        HostEntry host = inventory.lookup(UNLISTED, Optional.of("waf-appliance-2.1"));

        assertThat(host.profile()).isEqualTo("waf");
        assertThat(host.hostname()).hasValue("waf-1");
        VmIdentity later = inventory.identify(UNLISTED.toString());
        assertThat(later.profileName()).isEqualTo("waf");
        assertThat(later.seq()).isEqualTo(1);
        assignments.close(); // writes what is queued
        JsonNode saved = new ObjectMapper().readTree(stateDir.resolve(ProfileAssignments.FILE_NAME).toFile());
        assertThat(saved.path(UNLISTED.toString()).path("profile").asText()).isEqualTo("waf");
        assertThat(saved.path(UNLISTED.toString()).path("seq").asInt()).isEqualTo(1);
    }

    @Test
    void withoutAMatchingVendorClassTheEngineGivesTheDefaultAndItStays() {
        HostEntry first = inventory.lookup(UNLISTED, Optional.empty());
        HostEntry next = inventory.lookup(UNLISTED, Optional.of("waf-appliance-2.1"));

        assertThat(first.profile()).isEqualTo("plain");
        assertThat(first.hostname()).hasValue("plain-1");
        assertThat(next).as("decided once, for good").isEqualTo(first);
        assertThat(inventory.identify(UNLISTED.toString()).profileName()).isEqualTo("plain");
    }

    @Test
    void aRecordsProfileIsReadBeforeTheEngineNumbersIt() {
        VmIdentity early = inventory.identify(LISTED.toString());

        assertThat(early.profileName()).isEqualTo("edge");
        assertThat(early.seq()).as("not numbered yet").isZero();
        assertThat(assignments.of(LISTED.toString())).isEmpty();

        assertThat(inventory.lookup(LISTED, Optional.of("waf-x")).profile()).isEqualTo("edge");
        assertThat(inventory.identify(LISTED.toString()).seq()).isEqualTo(1);
    }

    @Test
    void theAllocatorsReservationLookupsGiveNothing() {
        inventory.fixedAddress(UNLISTED);
        inventory.reservedFor(EngineFixture.ip("192.0.2.100"));

        assertThat(assignments.of(UNLISTED.toString())).isEmpty();
    }

    @Test
    void theLabKnowsRecordsReservationsAndMatchRulesButNotWhatOnlyTheDefaultProfileCatches() {
        assertThat(inventory.knows(LISTED, Optional.empty())).as("a VM record").isTrue();
        assertThat(inventory.knows(RESERVED, Optional.empty())).as("a reservation").isTrue();
        assertThat(inventory.knows(MacAddress.parse("02:00:00:ee:00:05"), Optional.empty())).as("by MAC prefix")
                .isTrue();
        assertThat(inventory.knows(UNLISTED, Optional.of("waf-appliance-2.1"))).as("by vendor class").isTrue();
        assertThat(inventory.knows(UNLISTED, Optional.of("other"))).as("the default profile's stranger").isFalse();
        assertThat(assignments.of(UNLISTED.toString())).as("knowing gives nothing").isEmpty();

        inventory.lookup(UNLISTED, Optional.empty());

        assertThat(assignments.of(UNLISTED.toString()).orElseThrow().profile()).isEqualTo("plain");
        assertThat(inventory.knows(UNLISTED, Optional.empty())).as("given the default: still a stranger").isFalse();
    }

    @Test
    void aMacOnceMatchedByItsVendorClassStaysKnownWhenAMessageLacksIt() {
        inventory.lookup(UNLISTED, Optional.of("waf-appliance-2.1"));

        assertThat(inventory.knows(UNLISTED, Optional.empty())).isTrue();
    }
}
