package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.ClientLease;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.LeaseJournalFile;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.UdhcpcDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@code metadata.default-profile} set, a real udhcpc sending a vendor class that a profile matches
 * ({@code -V waf-…}) gets that profile, not the default: its hostname in the lease (option 12), in the journal and in
 * the metadata it asks for right after. A udhcpc with busybox's own vendor class gets the default profile.
 */
@Tag("netns")
class VendorClassProfileIT {

    private static final String SERVER = "10.20.0.1";
    private static final Duration CURL_TIMEOUT = Duration.ofSeconds(30);

    /** Client 0 sends the waf vendor class, client 1 busybox's default. */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(2);

    private static Path stateDir;

    @BeforeAll
    static void startAppliance() throws IOException {
        stateDir = LAB.newDirectory("state");
        LAB.startServer(ApplianceServer.fromSystemProperty(), NetnsLab.resource("vendor-class.yaml"), stateDir);
    }

    @Test
    void vendorClassProfileIsGivenNotTheDefault() {
        ClientHost vm = LAB.client(0);
        vm.flushAddresses();

        ClientLease lease = UdhcpcDriver.on(vm, LAB.newDirectory("udhcpc-waf"), "waf-appliance-2.1").obtain();

        assertThat(lease.hostname()).isEqualTo("waf-1");
        assertJournalGave(vm, lease, "waf");
        // Asked right after the ACK, as cloud-init does: the answer must already be the decided profile's.
        assertThat(metadata(vm, "/latest/meta-data/local-hostname")).isEqualTo("waf-1");
        assertThat(metadata(vm, "/latest/meta-data/instance-id")).isEqualTo(instanceIdOf(vm));
        assertThat(metadata(vm, "/latest/user-data")).contains("hostname: waf-1\n")
                .contains("content: \"waf " + lease.address() + "\"");
    }

    @Test
    void otherVendorClassGetsTheDefaultProfile() {
        ClientHost vm = LAB.client(1);
        vm.flushAddresses();

        ClientLease lease = UdhcpcDriver.on(vm, LAB.newDirectory("udhcpc-plain")).obtain();

        assertThat(lease.hostname()).isEqualTo("plain-1");
        assertJournalGave(vm, lease, "plain");
        assertThat(metadata(vm, "/latest/meta-data/local-hostname")).isEqualTo("plain-1");
        assertThat(metadata(vm, "/latest/user-data")).contains("content: \"plain " + lease.address() + "\"");
    }

    /** The ACK's journal line is forced before the ACK leaves, so it is there once the client has bound. */
    private static void assertJournalGave(ClientHost vm, ClientLease lease, String profile) {
        LeaseJournalFile journal = new LeaseJournalFile(stateDir);
        assertThat(journal.entriesFor(lease.address()))
                .as("%s lines for %s", journal.file(), lease.address())
                .anyMatch(e -> e.mac().equals(vm.mac().toString()) && e.state().equals("ACTIVE")
                        && e.profile().equals(profile) && e.hostname().equals(lease.hostname()));
    }

    /** One GET from the VM's namespace to the appliance address; fails on any status but 200. */
    private static String metadata(ClientHost vm, String path) {
        CommandResult result = vm.namespace().exec(CURL_TIMEOUT, "curl", "-sS", "--fail", "-m", "20",
                "http://" + SERVER + path);
        return result.requireSuccess().output();
    }

    private static String instanceIdOf(ClientHost vm) {
        return "i-" + vm.mac().toString().replace(":", "");
    }
}
