package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.ClientLease;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.Executables;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.UdhcpcDriver;
import lab.appliance.netns.UdhcpcSession;
import lab.appliance.netns.cloudinit.CloudInitCrawler;
import lab.appliance.netns.cloudinit.CloudInitResult;
import lab.appliance.netns.cloudinit.CloudInitTree;
import lab.appliance.netns.cloudinit.Datasource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lab DNS server asked by real tools, dig and host, from client namespaces: a leased VM's name both ways
 * (qualified, bare and its ip- name; PTR), over UDP and TCP, {@code data-server}, a reservation's fixed name,
 * NXDOMAIN, a client-sent name that moves with its lease, and other names forwarded to an upstream (a dnsmasq in
 * the lab), with an answer too long for 512 bytes truncated over UDP and whole over TCP; and cloud-init's own
 * CloudStack datasource finding the appliance by {@code data-server}, as it does on a VM whose lease names it. Last,
 * a reload that renames a reservation and a profile's hostname pattern renames both in DNS at once.
 */
@Tag("netns")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnsIT {

    private static final String SERVER = "10.20.0.1";
    private static final String UPSTREAM = "10.20.0.53";
    private static final Duration DIG_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");
    private static final Pattern FLAGS = Pattern.compile(";; flags: ([a-z ]+);");
    /** A name the upstream holds 60 addresses for: about 1 KB of answer, over 512 bytes without EDNS. */
    private static final int MANY = 60;

    /** Clients 0-2 take leases; client 3 is the upstream DNS server (dnsmasq). */
    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(4);

    private static Path config;
    private static BackgroundProcess appliance;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Executables.onPath("dig") && Executables.onPath("host"),
                "DnsIT needs dig and host (Debian bind9-dnsutils): apt-get install dnsutils");
        Assumptions.assumeTrue(Executables.onPath("dnsmasq"),
                "DnsIT needs dnsmasq as the upstream (Debian dnsmasq-base)");
        startUpstream(LAB.client(3));
        // A copy, so the reload test can rewrite it.
        config = LAB.newDirectory("config").resolve("dns.yaml");
        Files.copy(NetnsLab.resource("dns.yaml"), config);
        appliance = LAB.startServer(ApplianceServer.fromSystemProperty(), config, LAB.newDirectory("state"));
    }

    private static void startUpstream(ClientHost host) throws IOException {
        host.namespace().exec("ip", "addr", "add", UPSTREAM + "/16", "dev", ClientHost.INTERFACE).requireSuccess();
        List<String> command = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground", "--log-facility=-",
                "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces",
                "--listen-address=" + UPSTREAM, "--port=53", "--pid-file=", "--user=root",
                "--address=/upstream.test/192.0.2.7"));
        for (int i = 1; i <= MANY; i++) {
            command.add("--host-record=many.upstream.test,198.51.100." + i);
        }
        LAB.track(host.namespace().spawn("dnsmasq", LAB.newDirectory("upstream").resolve("dnsmasq.log"), command));
    }

    @Test
    void aLeasedVmResolvesByNameBothWaysOverUdpAndTcp() {
        ClientHost vm = LAB.client(0);
        vm.flushAddresses();
        ClientLease lease = UdhcpcDriver.on(vm, LAB.newDirectory("udhcpc-web"), "web-frontend").obtain();
        String ip = lease.address();

        assertThat(lease.hostname()).isEqualTo("web-1");
        assertThat(lease.dnsServers()).as("DNS on makes the appliance the resolver")
                .extracting(a -> a.getHostAddress()).containsExactly(SERVER);
        assertThat(digShort(vm, "web-1.lab.internal")).containsExactly(ip);
        assertThat(digShort(vm, "WEB-1.Lab.Internal")).containsExactly(ip);
        assertThat(digShort(vm, "web-1")).containsExactly(ip);
        assertThat(digShort(vm, "ip-" + ip.replace('.', '-') + ".lab.internal")).containsExactly(ip);
        assertThat(digShort(vm, "+tcp", "web-1.lab.internal")).containsExactly(ip);
        assertThat(digShort(vm, "-x", ip)).containsExactly("web-1.lab.internal.");
        assertThat(host(vm, "web-1.lab.internal")).contains("web-1.lab.internal has address " + ip);
        assertThat(host(vm, ip)).contains("domain name pointer web-1.lab.internal.");

        String full = dig(vm, "web-1.lab.internal");
        assertThat(status(full)).isEqualTo("NOERROR");
        assertThat(flags(full)).contains("aa");
    }

    @Test
    void dataServerFixedNamesAndTheZoneAnswerWithoutALease() {
        ClientHost asker = LAB.client(2);
        ensureAddress(asker, "10.20.0.222/16");

        assertThat(digShort(asker, "data-server")).containsExactly(SERVER);
        assertThat(digShort(asker, "data-server.lab.internal")).containsExactly(SERVER);
        assertThat(digShort(asker, "fixed-box.lab.internal")).containsExactly("10.20.0.50");
        assertThat(digShort(asker, "-x", "10.20.0.50")).containsExactly("fixed-box.lab.internal.");
        assertThat(digShort(asker, "lab.internal", "NS")).containsExactly("data-server.lab.internal.");
        assertThat(digShort(asker, "lab.internal", "SOA")).singleElement().asString()
                .startsWith("data-server.lab.internal. hostmaster.lab.internal. ");
        assertThat(digShort(asker, "20.10.in-addr.arpa", "SOA")).hasSize(1);

        String missing = dig(asker, "nobody.lab.internal");
        assertThat(status(missing)).isEqualTo("NXDOMAIN");
        assertThat(missing).contains("IN\tSOA\tdata-server.lab.internal.");
        assertThat(status(dig(asker, "-x", "10.20.9.9"))).isEqualTo("NXDOMAIN");
        assertThat(status(dig(asker, "+noedns", "nobody.lab.internal"))).isEqualTo("NXDOMAIN");
    }

    @Test
    void aClientSentNameFollowsItsLease() {
        ClientHost first = LAB.client(1);
        ClientHost second = LAB.client(2);
        first.flushAddresses();
        String firstIp;
        try (UdhcpcSession session = UdhcpcDriver.sendingHostname(first, LAB.newDirectory("udhcpc-roam1"), "roamer")
                .startSession()) {
            firstIp = session.awaitBound().address();
            assertThat(digShort(first, "roamer.lab.internal")).containsExactly(firstIp);
            assertThat(digShort(first, "-x", firstIp)).containsExactly("roamer.lab.internal.");
            session.release();
        }
        ensureAddress(first, "10.20.0.221/16");
        assertThat(status(dig(first, "roamer.lab.internal"))).as("released: the name is gone").isEqualTo("NXDOMAIN");

        second.flushAddresses();
        ClientLease moved = UdhcpcDriver.sendingHostname(second, LAB.newDirectory("udhcpc-roam2"), "roamer").obtain();

        assertThat(moved.address()).isNotEqualTo(firstIp);
        assertThat(digShort(first, "roamer.lab.internal")).containsExactly(moved.address());
        assertThat(status(dig(first, "-x", firstIp))).isEqualTo("NXDOMAIN");
    }

    @Test
    void otherNamesAreForwardedAndALongAnswerFallsBackToTcp() {
        ClientHost asker = LAB.client(2);
        ensureAddress(asker, "10.20.0.222/16");

        assertThat(digShort(asker, "www.upstream.test")).containsExactly("192.0.2.7");
        String truncated = dig(asker, "+noedns", "+ignore", "many.upstream.test");
        assertThat(flags(truncated)).contains("tc");
        // dig retries a truncated answer over TCP by itself, as every stub resolver does.
        assertThat(digShort(asker, "+noedns", "many.upstream.test")).hasSize(MANY);
        assertThat(digShort(asker, "many.upstream.test")).as("EDNS: 1232 bytes hold them all").hasSize(MANY);
        assertThat(flags(dig(asker, "www.upstream.test"))).contains("ra").doesNotContain("aa");
    }

    @Test
    void cloudStacksDatasourceFindsTheApplianceByTheNameDataServer() throws IOException {
        ClientHost vm = LAB.client(0);
        vm.flushAddresses();
        ClientLease lease = UdhcpcDriver.on(vm, LAB.newDirectory("udhcpc-cloudstack"), "web-frontend").obtain();
        CloudInitCrawler crawler = new CloudInitCrawler(CloudInitTree.assumeAvailable(), SERVER);

        CloudInitResult result = crawler.crawlWithResolver(vm, Datasource.CLOUDSTACK, LAB.newDirectory("cloudstack"),
                lease.dnsServers().get(0).getHostAddress(), lease.domain());

        assertThat(result.success()).as("CloudStack crawl, log %s", result.log()).isTrue();
        assertThat(result.hostname()).contains("web-1");
        assertThat(Files.readString(result.log())).contains("Found metadata server '" + SERVER + "' via data-server DNS entry");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void aReloadRenamesFixedAndLeasedNames() throws IOException {
        ClientHost vm = LAB.client(0);
        vm.flushAddresses();
        String ip = UdhcpcDriver.on(vm, LAB.newDirectory("udhcpc-reload"), "web-frontend").obtain().address();
        assertThat(digShort(vm, "web-1.lab.internal")).containsExactly(ip);

        Files.writeString(config, Files.readString(config).replace("hostname: fixed-box", "hostname: renamed-box")
                .replace("hostname: \"web-{{ seq }}\"", "hostname: \"www-{{ seq }}\""));
        appliance.signal("HUP");
        await("'config reloaded' line").atMost(Duration.ofSeconds(30))
                .until(() -> appliance.output().contains("config reloaded file=") || !appliance.isAlive());

        assertThat(digShort(vm, "renamed-box.lab.internal")).containsExactly("10.20.0.50");
        assertThat(status(dig(vm, "fixed-box.lab.internal"))).isEqualTo("NXDOMAIN");
        assertThat(digShort(vm, "www-1.lab.internal")).as("the profile's new pattern names the leased VM")
                .containsExactly(ip);
        assertThat(status(dig(vm, "web-1.lab.internal"))).isEqualTo("NXDOMAIN");
        assertThat(digShort(vm, "-x", ip)).containsExactly("www-1.lab.internal.");
    }

    private static void ensureAddress(ClientHost host, String address) {
        CommandResult shown = host.namespace().exec("ip", "-4", "-o", "addr", "show", "dev", ClientHost.INTERFACE);
        if (!shown.output().contains(" inet " + address.substring(0, address.indexOf('/')) + "/")) {
            host.namespace().exec("ip", "addr", "add", address, "dev", ClientHost.INTERFACE).requireSuccess();
        }
    }

    private static List<String> digShort(ClientHost from, String... query) {
        List<String> args = new ArrayList<>(List.of("+short"));
        args.addAll(List.of(query));
        return dig(from, args.toArray(String[]::new)).lines().filter(l -> !l.isBlank()).toList();
    }

    private static String dig(ClientHost from, String... query) {
        List<String> command = new ArrayList<>(List.of("dig", "@" + SERVER, "+time=3", "+tries=2"));
        command.addAll(List.of(query));
        CommandResult result = from.namespace().exec(DIG_TIMEOUT, command);
        return result.requireSuccess().output();
    }

    private static String host(ClientHost from, String name) {
        return from.namespace().exec(DIG_TIMEOUT, "host", "-W", "3", name, SERVER).requireSuccess().output();
    }

    private static String status(String digOutput) {
        Matcher m = STATUS.matcher(digOutput);
        assertThat(m.find()).as("a status line in:%n%s", digOutput).isTrue();
        return m.group(1);
    }

    private static String flags(String digOutput) {
        Matcher m = FLAGS.matcher(digOutput);
        assertThat(m.find()).as("a flags line in:%n%s", digOutput).isTrue();
        return m.group(1);
    }
}
