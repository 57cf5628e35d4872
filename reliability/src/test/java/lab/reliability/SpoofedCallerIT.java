package lab.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.appliance.netns.AdminApiCalls;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.DhclientDriver;
import lab.appliance.netns.NetnsLab;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Anti-spoofing with real kernels on both ends: a VM leases its reserved address and is answered; an intruder
 * namespace then takes that address over (the VM's link goes down, the intruder answers the appliance's ARP) and
 * asks the metadata service, the password server and the phone-home URL as the VM: every answer is 403, none
 * carries the VM's data, the log has a WARN naming both MACs and the metric counts each refusal. When the VM comes
 * back it is answered again. On the way the VM's IMDSv2 token answer is seen arriving with IP TTL 1, and a token PUT
 * carrying X-Forwarded-For is refused, as AWS does.
 */
@Tag("netns")
class SpoofedCallerIT {

    private static final String VICTIM_MAC = "02:00:00:aa:00:01";
    private static final String INTRUDER_MAC = "02:00:00:66:66:66";
    private static final String VICTIM_IP = "10.20.0.11";
    private static final String METADATA = "http://169.254.169.254";
    private static final Duration CURL = Duration.ofSeconds(20);

    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(0).plusClient(VICTIM_MAC).plusClient(INTRUDER_MAC);

    @Test
    void anIntruderThatTakesOverAVmsAddressGets403EverywhereAndTheVmIsServedAgainAfter() throws IOException {
        Path stateDir = LAB.newDirectory("state");
        BackgroundProcess appliance = LAB.startServer(ApplianceServer.fromSystemProperty(),
            NetnsLab.resource("spoofing.yaml"), stateDir);
        AdminApiCalls admin = new AdminApiCalls(LAB.server(), "http://10.20.0.1:8807",
            stateDir.resolve("admin.token"));
        ClientHost victim = LAB.client(0);
        ClientHost intruder = LAB.client(1);
        assertThat(DhclientDriver.on(victim, LAB.newDirectory("dhclient")).obtain().address())
            .isEqualTo(VICTIM_IP);

        assertThat(curl(victim, "/latest/meta-data/instance-id")).isEqualTo("200 i-victim");
        assertThat(curl(victim, "-X", "PUT", "-H", "X-aws-ec2-metadata-token-ttl-seconds: 60",
            "-H", "X-Forwarded-For: 172.17.0.2", "/latest/api/token")).startsWith("403 ");
        assertTokenAnswerArrivesWithTtlOne(victim);

        // The takeover: the VM is gone from the link, the intruder holds its address and answers ARP for it.
        victim.namespace().exec("ip", "link", "set", ClientHost.INTERFACE, "down").requireSuccess();
        intruder.namespace().exec("ip", "address", "add", VICTIM_IP + "/16", "dev", ClientHost.INTERFACE)
            .requireSuccess();
        intruder.namespace().exec("ip", "route", "replace", "169.254.169.254/32", "via", "10.20.0.1")
            .requireSuccess();
        LAB.server().exec("ip", "neigh", "flush", "dev", NetnsLab.SERVER_INTERFACE, "to", VICTIM_IP)
            .requireSuccess();

        List<String> refused = new ArrayList<>();
        refused.add(curl(intruder, "/latest/meta-data/instance-id"));
        refused.add(curl(intruder, "/latest/user-data"));
        refused.add(curl(intruder, "-X", "PUT", "-H", "X-aws-ec2-metadata-token-ttl-seconds: 60",
            "/latest/api/token"));
        refused.add(curl(intruder, "/openstack/latest/meta_data.json"));
        refused.add(curl(intruder, "-X", "POST", "--data", "instance_id=i-victim&hostname=evil", "/phone-home"));
        refused.add(curlUrl(intruder, "http://10.20.0.1/latest/meta-data/instance-id"));
        refused.add(curlUrl(intruder, "-H", "DomU_Request: send_my_password", "http://10.20.0.1:8080/"));
        System.out.printf("spoofed requests: %d sent, answers %s%n", refused.size(), refused);
        assertThat(refused).allSatisfy(answer -> {
            assertThat(answer).startsWith("403 ");
            assertThat(answer).doesNotContain("i-victim", "Victim-Passw0rd-1", "victim-user-data");
        });
        assertThat(appliance.output()).contains("caller=" + VICTIM_IP + " lease_mac=" + VICTIM_MAC
            + " caller_mac=" + INTRUDER_MAC);
        String metrics = admin.call("GET", "/metrics", null, true).body();
        Matcher counted = Pattern.compile("(?m)^metadata_spoofed_requests_total (\\S+)$").matcher(metrics);
        assertThat(counted.find()).as("metadata_spoofed_requests_total in\n%s", metrics).isTrue();
        assertThat(Double.parseDouble(counted.group(1))).isEqualTo(refused.size());

        // The VM comes back and the intruder leaves: the appliance learns the VM's MAC again and answers it.
        intruder.namespace().exec("ip", "address", "del", VICTIM_IP + "/16", "dev", ClientHost.INTERFACE)
            .requireSuccess();
        victim.namespace().exec("ip", "link", "set", ClientHost.INTERFACE, "up").requireSuccess();
        // The link's flap took the lease's classless route with it; the lease itself is still held.
        victim.namespace().exec("ip", "route", "replace", "169.254.169.254/32", "via", "10.20.0.1")
            .requireSuccess();
        LAB.server().exec("ip", "neigh", "flush", "dev", NetnsLab.SERVER_INTERFACE, "to", VICTIM_IP)
            .requireSuccess();
        await("the VM answered again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
            .until(() -> curl(victim, "/latest/meta-data/instance-id").equals("200 i-victim"));
        assertThat(curlUrl(victim, "-H", "DomU_Request: send_my_password", "http://10.20.0.1:8080/"))
            .isEqualTo("200 Victim-Passw0rd-1");
        System.out.printf("spoofed requests answered: 0 of %d; the VM was answered before and after%n",
            refused.size());
    }

    /** Captures the VM's side of a token PUT: the segment carrying the token arrives with TTL 1. */
    private static void assertTokenAnswerArrivesWithTtlOne(ClientHost vm) throws IOException {
        Path capture = LAB.newDirectory("tcpdump").resolve("token.txt");
        BackgroundProcess tcpdump = LAB.track(vm.namespace().spawn("tcpdump", capture, List.of("tcpdump", "-l",
            "-nn", "-v", "-i", ClientHost.INTERFACE, "tcp and src host 169.254.169.254 and src port 80")));
        await("tcpdump listening").atMost(Duration.ofSeconds(10))
            .until(() -> tcpdump.output().contains("listening on"));
        String token = curl(vm, "-X", "PUT", "-H", "X-aws-ec2-metadata-token-ttl-seconds: 60", "/latest/api/token");
        assertThat(token).startsWith("200 ");
        String tokenValue = token.substring(4);
        assertThat(curl(vm, "-H", "X-aws-ec2-metadata-token: " + tokenValue, "/latest/meta-data/instance-id"))
            .isEqualTo("200 i-victim");
        await("the token's segments captured").atMost(Duration.ofSeconds(10))
            .until(() -> tcpdump.output().contains("ttl 1,"));
        String seen = tcpdump.output();
        tcpdump.close();
        System.out.printf("answers from 169.254.169.254 on the token's connection: %d segments with ttl 1, "
            + "%d with another ttl%n", count(seen, "ttl 1,"), count(seen, "ttl ") - count(seen, "ttl 1,"));
        assertThat(count(seen, "ttl 1,")).isPositive();
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    /** {@code curl} to the metadata service's link-local address from {@code host}: "STATUS BODY". */
    private static String curl(ClientHost host, String... argsThenPath) {
        String[] args = argsThenPath.clone();
        args[args.length - 1] = METADATA + args[args.length - 1];
        return curlUrl(host, args);
    }

    private static String curlUrl(ClientHost host, String... argsThenUrl) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-m", "15", "-o", "-", "-w", "\n%{http_code}"));
        command.addAll(List.of(argsThenUrl));
        CommandResult result = host.namespace().exec(CURL, command).requireSuccess();
        String output = result.output().stripTrailing();
        int cut = output.lastIndexOf('\n');
        return output.substring(cut + 1) + " " + output.substring(0, Math.max(cut, 0)).strip();
    }
}
