package lab.appliance.netns.cloudinit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.DhcpClientKind;
import lab.appliance.netns.NetnsLab;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Debian's unmodified cloud-init 22.4 datasources, run as lab VMs that took their lease from the appliance, obtain
 * exactly what {@code metadata.yaml} says about each VM, and nothing for an address the appliance never leased.
 */
@Tag("netns")
class MetadataCrawlIT {

    private static final String SERVER = "10.20.0.1";
    private static final String KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGV4YW1wbGVrZXlleGFtcGxla2V5ZXhhbXBsZWtleQ ops@lab";
    private static final String EXTRA_NIC_MAC = "02:00:00:aa:01:01";

    /** Client 0: a pool MAC given a static address instead of a lease; then VM 1, VM 2, a profile-only VM. */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(1)
            .plusClient("02:00:00:aa:00:01")
            .plusClient("02:00:00:aa:00:02")
            .plusClient("02:00:00:aa:00:63");

    private static CloudInitCrawler crawler;

    @BeforeAll
    static void startApplianceAndLeaseVms() throws IOException {
        crawler = new CloudInitCrawler(CloudInitTree.assumeAvailable(), SERVER);
        LAB.startServer(ApplianceServer.fromSystemProperty(), NetnsLab.resource("metadata.yaml"),
                LAB.newDirectory("state"));
        // VM 1's second NIC: cloud-init maps network config to NICs by MAC, and OpenStack's conversion raises
        // when no NIC has a configured MAC. A veth pair kept inside the namespace is enough to be found.
        vm1().namespace().ipBatch("link add eth1 address " + EXTRA_NIC_MAC + " type veth peer name eth1p\n"
                + "link set eth1 up\nlink set eth1p up\n").requireSuccess();
        for (ClientHost vm : List.of(vm1(), vm2(), profileOnlyVm())) {
            vm.flushAddresses();
            DhcpClientKind.DHCLIENT.driverFor(vm, LAB.newDirectory("dhclient")).obtain();
        }
        ClientHost unleased = LAB.client(0);
        unleased.flushAddresses();
        unleased.namespace().exec("ip", "addr", "add", "10.20.1.200/16", "dev", ClientHost.INTERFACE).requireSuccess();
    }

    @ParameterizedTest
    @EnumSource(Datasource.class)
    void vmOneGetsItsRecord(Datasource datasource) {
        CloudInitResult result = crawler.crawl(vm1(), datasource, LAB.newDirectory(datasource.name()));

        assertThat(result.success()).as("%s succeeded (log %s, error %s)", datasource, result.log(), result.error())
                .isTrue();
        assertThat(result.instanceId()).hasValue("i-waf-edge-1");
        assertThat(result.hostname()).hasValue("waf-edge-1");
        assertThat(result.publicKeys()).containsExactly(KEY);
        assertThat(result.userData()).hasValueSatisfying(userData -> assertThat(userData)
                .startsWith("#cloud-config\n")
                .contains("hostname: waf-edge-1\n")
                .contains("content: \"core 10.20.0.11\"")
                .doesNotContain("{{", "}}"));
        switch (datasource) {
            case CLOUDSTACK -> {
                // CloudStack has no vendor-data and no network config; the password is checked by its own test.
                assertThat(result.vendorData()).isEmpty();
                assertThat(result.networkConfig().isNull() || result.networkConfig().isMissingNode()).isTrue();
            }
            case EC2 -> {
                assertThat(result.vendorData()).isEmpty();
                // Ec2 network config is DHCP per NIC known to the metadata; it cannot express static addresses.
                assertThat(ec2MacsOf(result.networkConfig())).contains("02:00:00:aa:00:01", EXTRA_NIC_MAC);
                // A VPC instance: no metadata refresh on every boot (EC2-Classic's refresh broke AWS-like boots).
                assertThat(result.networkUpdateEvents()).contains("boot-new-instance").doesNotContain("boot", "boot-legacy");
            }
            case OPENSTACK, NOCLOUD -> {
                assertThat(result.vendorData()).hasValueSatisfying(vendorData -> assertThat(vendorData)
                        .startsWith("#cloud-config\n").contains("echo vendor-waf").doesNotContain("{{"));
                assertThat(staticAddressesOf(result.networkConfig(), EXTRA_NIC_MAC)).contains("192.0.2.10/24");
            }
        }
    }

    /** The password server gives the password once; after cloud-init's ack the next boot sees saved_password. */
    @Test
    void cloudStackPasswordIsDeliveredOnceThenSaved() {
        CloudInitResult first = crawler.crawl(vm2(), Datasource.CLOUDSTACK, LAB.newDirectory("password-1"));
        CloudInitResult second = crawler.crawl(vm2(), Datasource.CLOUDSTACK, LAB.newDirectory("password-2"));

        assertThat(first.success()).as("first crawl (log %s)", first.log()).isTrue();
        assertThat(first.password()).hasValue("Lab-Passw0rd-2");
        assertThat(second.success()).as("second crawl (log %s)", second.log()).isTrue();
        assertThat(second.instanceId()).hasValue("i-waf-edge-2");
        assertThat(second.password()).isEmpty();
    }

    /** Two VMs crawling at the same moment each get their own record, never the other's. */
    @ParameterizedTest
    @EnumSource(value = Datasource.class, names = {"EC2", "NOCLOUD"})
    void simultaneousCrawlsGetTheirOwnRecords(Datasource datasource) {
        CompletableFuture<CloudInitResult> one = CompletableFuture.supplyAsync(
                () -> crawler.crawl(vm1(), datasource, LAB.newDirectory("together-1")));
        CompletableFuture<CloudInitResult> two = CompletableFuture.supplyAsync(
                () -> crawler.crawl(vm2(), datasource, LAB.newDirectory("together-2")));

        CloudInitResult first = one.join();
        CloudInitResult second = two.join();
        assertThat(first.instanceId()).as("VM 1 (log %s)", first.log()).hasValue("i-waf-edge-1");
        assertThat(first.hostname()).hasValue("waf-edge-1");
        assertThat(first.userData()).hasValueSatisfying(u -> assertThat(u).contains("10.20.0.11")
                .doesNotContain("10.20.0.12", "waf-edge-2"));
        assertThat(second.instanceId()).as("VM 2 (log %s)", second.log()).hasValue("i-waf-edge-2");
        assertThat(second.hostname()).hasValue("waf-edge-2");
        // VM 2 has no meta.role: the template's default applies.
        assertThat(second.userData()).hasValueSatisfying(u -> assertThat(u).contains("content: \"edge 10.20.0.12\"")
                .doesNotContain("10.20.0.11", "waf-edge-1"));
    }

    @ParameterizedTest
    @EnumSource(value = Datasource.class, names = {"EC2", "NOCLOUD"})
    void vmMatchedOnlyByProfileGetsGeneratedHostname(Datasource datasource) {
        CloudInitResult result = crawler.crawl(profileOnlyVm(), datasource, LAB.newDirectory("profile-only"));

        assertThat(result.success()).as("crawl (log %s)", result.log()).isTrue();
        assertThat(result.hostname()).hasValueSatisfying(h -> assertThat(h).matches("waf-\\d+"));
        assertThat(result.instanceId()).hasValueSatisfying(id -> assertThat(id).isNotBlank()
                .isNotIn("i-waf-edge-1", "i-waf-edge-2"));
        assertThat(result.userData()).hasValueSatisfying(u -> assertThat(u)
                .contains("hostname: " + result.hostname().orElseThrow() + "\n")
                .contains("content: \"edge ").doesNotContain("{{"));
    }

    /**
     * An address the appliance never leased is nobody: cloud-init finds no instance. OpenStack (one try) and NoCloud
     * (11 tries) give up in seconds; Ec2 and CloudStack would wait their full 120 s for a 200.
     */
    @ParameterizedTest
    @EnumSource(value = Datasource.class, names = {"OPENSTACK", "NOCLOUD"})
    void addressWithoutLeaseGetsNothing(Datasource datasource) {
        CloudInitResult result = crawler.crawl(LAB.client(0), datasource, LAB.newDirectory("unleased"));

        assertThat(result.success()).as("crawl from 10.20.1.200 (log %s)", result.log()).isFalse();
        assertThat(result.instanceId()).isEmpty();
    }

    private static ClientHost vm1() {
        return LAB.client(1);
    }

    private static ClientHost vm2() {
        return LAB.client(2);
    }

    private static ClientHost profileOnlyVm() {
        return LAB.client(3);
    }

    /** The MACs of a netplan-v2 style config's ethernets ({@code match.macaddress}). */
    private static List<String> ec2MacsOf(JsonNode config) {
        List<String> macs = new ArrayList<>();
        config.path("ethernets").forEach(e -> macs.add(e.path("match").path("macaddress").asText()));
        return macs;
    }

    /**
     * The static IPv4 addresses a v1 network config gives the interface with {@code mac}, as {@code a.b.c.d/len}
     * (cloud-init keeps either {@code address: a.b.c.d/len} or {@code address} plus {@code netmask}).
     */
    private static List<String> staticAddressesOf(JsonNode config, String mac) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode entry : config.path("config")) {
            if (!mac.equalsIgnoreCase(entry.path("mac_address").asText())) {
                continue;
            }
            for (JsonNode subnet : entry.path("subnets")) {
                if (!subnet.path("type").asText().startsWith("static")) {
                    continue;
                }
                String address = subnet.path("address").asText();
                String netmask = subnet.path("netmask").asText("");
                addresses.add(address.contains("/") || netmask.isEmpty()
                        ? address : address + "/" + prefixOf(netmask));
            }
        }
        return addresses;
    }

    private static int prefixOf(String netmask) {
        int bits = 0;
        for (String octet : netmask.split("\\.")) {
            bits += Integer.bitCount(Integer.parseInt(octet));
        }
        return bits;
    }
}
