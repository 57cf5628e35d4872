package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import lab.appliance.fleet.FleetTracker;
import lab.appliance.fleet.VmTimeline;
import lab.appliance.inventory.LiveInventory;
import lab.appliance.inventory.ProfileAssignments;
import lab.appliance.inventory.VmHostnames;
import lab.config.model.ApplianceConfig;
import lab.dhcp.MacAddress;
import lab.dhcp.alloc.PendingOffers;
import lab.dhcp.codec.DhcpReply;
import lab.dhcp.engine.DhcpEngine;
import lab.dhcp.engine.MutableClock;
import lab.dhcp.engine.TestDhcpClient;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseJournal;
import lab.dhcp.lease.LeaseTable;
import lab.metadata.userdata.UserDataRenderer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DORA of an unlisted VM whose vendor class matches a profile, on an appliance with a default profile, wired as the
 * appliance wires it (the fleet labels every DHCP message from the inventory): the VM gets the vendor-class profile
 * from its first DISCOVER on, in the offer, the fleet, the lease and the state directory.
 */
class VendorClassDoraTest {

    private static final String CONFIG = """
            network:
              interface: lab0
              address: 192.0.2.1/24
            dhcp:
              pools: [192.0.2.100-192.0.2.199]
              lease-time: 3600
            metadata:
              default-profile: plain
            profiles:
              plain:
                hostname: "plain-{{ seq }}"
              waf:
                match: {vendor-class: "waf-"}
                hostname: "waf-{{ seq }}"
            """;
    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:17");

    @TempDir
    Path stateDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private LeaseTable leases;
    private ProfileAssignments assignments;
    private FleetTracker fleet;
    private DhcpEngine engine;

    @BeforeEach
    void start() throws Exception {
        ApplianceConfig config = ConfigFile.load("appliance.yaml", CONFIG).withStateDir(stateDir);
        leases = new LeaseTable(new LeaseJournal(stateDir), clock);
        leases.open();
        assignments = ProfileAssignments.load(stateDir);
        UserDataRenderer renderer = new UserDataRenderer();
        VmHostnames hostnames = new VmHostnames(renderer);
        LiveInventory inventory = new LiveInventory(config, leases, assignments, hostnames, renderer);
        fleet = new FleetTracker(stateDir, Appliance.fleetLabels(inventory, hostnames), clock);
        fleet.start();
        engine = new DhcpEngine(ConfigTranslator.dhcpSettings(config), ConfigTranslator.pools(config), leases,
                new PendingOffers(clock, Duration.ofSeconds(30)), inventory, fleet, clock);
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
        assignments.close();
        leases.close();
    }

    @Test
    void theVendorClassProfileIsGivenAtTheFirstDiscoverAndKept() throws Exception {
        TestDhcpClient vm = new TestDhcpClient(engine, MAC).vendorClass("waf-appliance-2.1");

        DhcpReply offer = vm.discover().orElseThrow();

        assertThat(new String(offer.packet().getOptionRaw((byte) 12), StandardCharsets.US_ASCII)).isEqualTo("waf-1");
        VmTimeline seen = fleet.of(MAC.toString()).orElseThrow();
        assertThat(seen.profile()).as("the fleet's label from the DISCOVER on").isEqualTo("waf");
        assertThat(seen.hostname()).isEqualTo("waf-1");

        Inet4Address ip = (Inet4Address) offer.packet().getYiaddr();
        vm.requestSelecting(ip).orElseThrow();

        Lease lease = leases.activeByIp(ip).orElseThrow();
        assertThat(lease.profile()).isEqualTo("waf");
        assertThat(lease.hostname()).isEqualTo("waf-1");
        assignments.close(); // writes what is queued
        JsonNode saved = new ObjectMapper().readTree(
                Files.readString(stateDir.resolve("profile-assignments.json"))).path(MAC.toString());
        assertThat(saved.path("profile").asText()).isEqualTo("waf");
        assertThat(saved.path("seq").asInt()).isEqualTo(1);
    }
}
