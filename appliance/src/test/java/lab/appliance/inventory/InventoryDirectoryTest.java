package lab.appliance.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import lab.appliance.ConfigFile;
import lab.config.model.ApplianceConfig;
import lab.dhcp.MacAddress;
import lab.dhcp.engine.EngineFixture;
import lab.dhcp.engine.MutableClock;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseJournal;
import lab.dhcp.lease.LeaseState;
import lab.dhcp.lease.LeaseTable;
import lab.metadata.ServedInstance;
import lab.metadata.userdata.UserDataRenderer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served map: built when a lease or the inventory changes, answered from on a request; no lease, no instance.
 * Lease listeners may run a moment after a commit completes, so waits for the listener's work have a deadline.
 */
class InventoryDirectoryTest {

    private static final String CONFIG = """
            network:
              interface: lab0
              address: 192.0.2.1/24
            dhcp:
              pools: [192.0.2.100-192.0.2.199]
              lease-time: 3600
            profiles:
              waf:
                hostname: "waf-{{ seq }}"
                user-data: |
                  #cloud-config
                  {{ meta.note }}
            vms:
              - mac: 02:00:00:00:00:01
                hostname: first
                profile: waf
                meta: {note: short}
              - mac: 02:00:00:00:00:02
                hostname: second
                profile: waf
                meta: {note: %s}
            """;
    /** Renders past the test renderer's output limit with VM 2's values only. */
    private static final String LONG_NOTE = "x".repeat(400);
    private static final MacAddress VM1 = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress VM2 = MacAddress.parse("02:00:00:00:00:02");
    private static final Inet4Address IP1 = EngineFixture.ip("192.0.2.100");
    private static final Inet4Address IP2 = EngineFixture.ip("192.0.2.101");
    private static final Duration LISTENER_DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private LeaseTable leases;
    private ProfileAssignments assignments;
    private final UserDataRenderer renderer = new UserDataRenderer(200);

    @BeforeEach
    void start() throws Exception {
        leases = new LeaseTable(new LeaseJournal(stateDir), clock);
        leases.open();
        assignments = ProfileAssignments.load(stateDir);
    }

    @AfterEach
    void stop() throws Exception {
        assignments.close();
        leases.close();
    }

    @Test
    void aLeasedVmsAnswerIsBuiltAtItsFirstRequestAndKept() throws Exception {
        LiveInventory live = listening(inventory(CONFIG.formatted("other")));

        commit(VM1, IP1);
        assertThat(live.directory().published(IP1)).as("nothing built at the commit").isEmpty();

        ServedInstance first = live.directory().byAddress(IP1).orElseThrow();

        assertThat(first.instance().hostname()).isEqualTo("first");
        assertThat(first.ec2().lookup("latest/meta-data/local-hostname").orElseThrow().text()).isEqualTo("first");
        assertThat(live.directory().published(IP1)).containsSame(first);
        assertThat(live.directory().byAddress(IP1)).containsSame(first);
    }

    @Test
    void aRenewalKeepsTheBuiltAnswer() throws Exception {
        LiveInventory live = listening(inventory(CONFIG.formatted("other")));
        Lease lease = commit(VM1, IP1);
        ServedInstance first = live.directory().byAddress(IP1).orElseThrow();

        clock.advance(Duration.ofMinutes(30));
        leases.commit(lease.withState(LeaseState.ACTIVE, clock.instant(), clock.instant().plus(Duration.ofHours(1))))
                .get();

        await().during(Duration.ofMillis(200)).atMost(LISTENER_DEADLINE)
                .until(() -> live.directory().published(IP1).isPresent());
        assertThat(live.directory().byAddress(IP1)).containsSame(first);
    }

    @Test
    void applyingAnInventoryReplacesTheAnswers() throws Exception {
        LiveInventory live = listening(inventory(CONFIG.formatted("other")));
        commit(VM1, IP1);
        assertThat(live.directory().byAddress(IP1).orElseThrow().instance().hostname()).isEqualTo("first");

        live.apply(config(CONFIG.formatted("other").replace("hostname: first", "hostname: renamed")));

        assertThat(live.directory().published(IP1)).as("the old answer is gone at the apply").isEmpty();
        assertThat(live.directory().byAddress(IP1).orElseThrow().instance().hostname()).isEqualTo("renamed");
    }

    @Test
    void aReleasedLeaseIsForgotten() throws Exception {
        LiveInventory live = listening(inventory(CONFIG.formatted("other")));
        Lease lease = commit(VM1, IP1);
        assertThat(live.directory().byAddress(IP1)).isPresent();

        leases.commit(lease.withState(LeaseState.RELEASED, clock.instant(), clock.instant())).get();

        assertThat(live.directory().byAddress(IP1)).isEmpty();
        await().atMost(LISTENER_DEADLINE).until(() -> live.directory().published(IP1).isEmpty());
    }

    @Test
    void anExpiredLeaseIsNotServedEvenBeforeItIsReclaimed() throws Exception {
        LiveInventory live = listening(inventory(CONFIG.formatted("other")));
        commit(VM1, IP1);
        assertThat(live.directory().byAddress(IP1)).isPresent();

        clock.advance(Duration.ofHours(2));

        assertThat(live.directory().byAddress(IP1)).isEmpty();
    }

    @Test
    void anAddressLeasedToAnotherMacSinceIsServedAsThatMac() throws Exception {
        LiveInventory live = inventory(CONFIG.formatted("other")); // no listener: only the lookup's check can tell
        Lease first = commit(VM1, IP1);
        assertThat(live.directory().byAddress(IP1).orElseThrow().instance().hostname()).isEqualTo("first");
        leases.commit(first.withState(LeaseState.RELEASED, clock.instant(), clock.instant())).get();

        commit(VM2, IP1);

        assertThat(live.directory().byAddress(IP1).orElseThrow().instance().hostname()).isEqualTo("second");
    }

    @Test
    void aTemplateErrorForOneVmDoesNotStopTheOthersBeingServed() throws Exception {
        LiveInventory live = listening(inventory(CONFIG.formatted(LONG_NOTE)));
        commit(VM1, IP1);
        commit(VM2, IP2);

        live.apply(config(CONFIG.formatted(LONG_NOTE)));

        ServedInstance one = live.directory().byAddress(IP1).orElseThrow();
        ServedInstance two = live.directory().byAddress(IP2).orElseThrow();
        assertThat(one.instance().userData()).hasValueSatisfying(
                bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("short"));
        assertThat(two.instance().userData()).as("its user-data failed to render: not served").isEmpty();
        assertThat(two.instance().hostname()).as("the rest of its metadata is").isEqualTo("second");
    }

    private LiveInventory inventory(String yaml) throws Exception {
        return new LiveInventory(config(yaml), leases, assignments, new VmHostnames(renderer), renderer);
    }

    private LiveInventory listening(LiveInventory live) {
        leases.addListener(live.directory());
        return live;
    }

    private ApplianceConfig config(String yaml) throws Exception {
        return ConfigFile.load("appliance.yaml", yaml).withStateDir(stateDir);
    }

    /** An hour's ACTIVE lease, committed (journaled) as the DHCP engine commits one. */
    private Lease commit(MacAddress mac, Inet4Address ip) throws Exception {
        Instant now = clock.instant();
        Lease lease = new Lease(ip, mac, "", "", "waf", now, now.plus(Duration.ofHours(1)), LeaseState.ACTIVE);
        return leases.commit(lease).get();
    }
}
