package lab.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.appliance.netns.ApplianceServer;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.ClientHost;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.DhclientDriver;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.UdhcpcDriver;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 1000 random edits of the config, valid and invalid, each applied by SIGHUP while a VM crawls its user-data in a
 * loop and two DHCP clients keep taking leases. Every generation writes its number into the VM's hostname and into
 * its user-data template, which renders the hostname too: an answer whose two numbers differ would be a
 * half-applied config, one carrying an invalid generation's number a config that should have been refused. Every
 * crawl answer is 200, every DHCP exchange succeeds, every invalid edit is refused, and the last valid generation is
 * what is served at the end.
 */
@Tag("netns")
class ReloadUnderLoadIT {

    private static final int EDITS = 1000;
    private static final long SEED = Long.getLong("reload.seed", 20261204L);
    private static final String VM_MAC = "02:00:00:aa:00:01";
    private static final String VM_IP = "10.20.0.11";
    private static final Duration PER_RELOAD = Duration.ofSeconds(15);
    private static final Pattern ANSWER = Pattern.compile(
        "^#cloud-config\\|# generation (\\d+) hostname vm-g(\\d+)\\|?\\s*(\\d{3})$");

    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(2).plusClient(VM_MAC);

    @Test
    void everyValidEditAppliesWholeAndEveryInvalidOneIsRefusedWhileClientsAreServed() throws Exception {
        Random random = new Random(SEED);
        Path config = LAB.newDirectory("config").resolve("appliance.yaml");
        write(config, configText(0, random, true));
        Path stateDir = LAB.newDirectory("state");
        BackgroundProcess appliance = LAB.startServer(ApplianceServer.fromSystemProperty(), config, stateDir);

        ClientHost vm = LAB.client(2);
        assertThat(DhclientDriver.on(vm, LAB.newDirectory("dhclient")).obtain().address()).isEqualTo(VM_IP);
        Path stop = LAB.newDirectory("crawl").resolve("stop");
        BackgroundProcess crawler = LAB.track(vm.namespace().spawn("crawler",
            stop.resolveSibling("answers.txt"), List.of("bash", "-c", crawlLoop(stop))));

        AtomicBoolean leasing = new AtomicBoolean(true);
        AtomicInteger exchanges = new AtomicInteger();
        List<String> dhcpFailures = new ArrayList<>();
        List<Thread> dhcpLoad = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            UdhcpcDriver udhcpc = UdhcpcDriver.on(LAB.client(i), LAB.newDirectory("udhcpc"));
            Thread t = new Thread(() -> {
                while (leasing.get() && exchanges.get() < 100_000) {
                    CommandResult result = udhcpc.tryOnce();
                    exchanges.incrementAndGet();
                    if (!result.succeeded()) {
                        synchronized (dhcpFailures) {
                            dhcpFailures.add(result.describe());
                        }
                    }
                }
            }, "udhcpc-load-" + i);
            t.start();
            dhcpLoad.add(t);
        }

        Set<Integer> validGenerations = new HashSet<>(Set.of(0));
        int lastValid = 0;
        int invalid = 0;
        long started = System.nanoTime();
        for (int generation = 1; generation <= EDITS; generation++) {
            boolean valid = random.nextInt(10) < 7;
            write(config, configText(generation, random, valid));
            int before = reloadOutcomes(appliance);
            appliance.signal("HUP");
            await("reload of generation " + generation).atMost(PER_RELOAD).pollInterval(Duration.ofMillis(5))
                .until(() -> reloadOutcomes(appliance) > before);
            if (valid) {
                validGenerations.add(generation);
                lastValid = generation;
            } else {
                invalid++;
            }
        }
        double reloadSeconds = (System.nanoTime() - started) / 1e9;
        int finalGeneration = lastValid;
        await("the last valid generation served").atMost(Duration.ofSeconds(10))
            .until(() -> lastAnswer(crawler).contains("# generation " + finalGeneration + " "));
        Files.writeString(stop, "stop");
        crawler.awaitExit(Duration.ofSeconds(20));
        leasing.set(false);
        for (Thread t : dhcpLoad) {
            t.join(Duration.ofSeconds(30).toMillis());
        }

        String log = appliance.output();
        int reloaded = count(log, "config reloaded file=");
        int refused = count(log, "config reload refused file=");
        List<String> answers = crawler.output().lines().filter(line -> !line.isBlank()).toList();
        List<String> bad = new ArrayList<>();
        for (String answer : answers) {
            Matcher m = ANSWER.matcher(answer.strip());
            if (!m.matches() || !m.group(3).equals("200") || !m.group(1).equals(m.group(2))
                || !validGenerations.contains(Integer.parseInt(m.group(1)))) {
                bad.add(answer);
            }
        }
        System.out.printf(Locale.ROOT, "reload under load: %d edits (%d valid, %d invalid) in %.1f s, reloaded %d, "
                + "refused %d; %d crawl answers, %d wrong; %d DHCP exchanges, %d failed; appliance alive %s%n",
            EDITS, EDITS - invalid, invalid, reloadSeconds, reloaded, refused, answers.size(), bad.size(),
            exchanges.get(), dhcpFailures.size(), appliance.isAlive());
        assertThat(appliance.isAlive()).isTrue();
        assertThat(reloaded).as("valid edits applied").isEqualTo(EDITS - invalid);
        assertThat(refused).as("invalid edits refused").isEqualTo(invalid);
        assertThat(answers).as("crawl answers").hasSizeGreaterThan(EDITS / 10);
        assertThat(bad).as("half-applied, refused-generation or failed answers").isEmpty();
        assertThat(dhcpFailures).as("DHCP exchanges that failed").isEmpty();
        assertThat(exchanges.get()).isPositive();
    }

    /** A bash loop that GETs the user-data until the stop file appears (bounded in count): one line per answer. */
    private static String crawlLoop(Path stop) {
        return "for i in $(seq 1 200000); do [ -e " + stop + " ] && break; "
            + "curl -s -m 5 -w ' %{http_code}' http://169.254.169.254/latest/user-data | tr '\\n' '|'; echo; done";
    }

    private static String lastAnswer(BackgroundProcess crawler) {
        List<String> lines = crawler.output().lines().filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static int reloadOutcomes(BackgroundProcess appliance) {
        String log = appliance.output();
        return count(log, "config reloaded file=") + count(log, "config reload refused file=");
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    /** As an editor that saves by rename does: the appliance never reads a half-written file. */
    private static void write(Path config, String text) throws IOException {
        Path next = config.resolveSibling("appliance.yaml.next");
        Files.writeString(next, text, StandardCharsets.UTF_8);
        Files.move(next, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Generation {@code n}: the VM's hostname and user-data carry {@code n}; random lease time, pool end and extra
     * VM records. An invalid one has one random defect as well, and still carries {@code n}.
     */
    static String configText(int n, Random random, boolean valid) {
        String leaseTime = List.of("30m", "1h", "90m", "2h").get(random.nextInt(4));
        int poolEnd = 100 + random.nextInt(150);
        StringBuilder vms = new StringBuilder();
        vms.append("  - mac: ").append(VM_MAC).append("\n    hostname: vm-g").append(n)
            .append("\n    ip: ").append(VM_IP).append("\n    instance-id: i-reloaded\n    user-data: |\n")
            .append("      #cloud-config\n      # generation ").append(n).append(" hostname {{ hostname }}\n");
        int extra = random.nextInt(30);
        for (int i = 0; i < extra; i++) {
            vms.append(String.format(Locale.ROOT, "  - mac: 02:00:00:bb:%02x:%02x%n    hostname: extra-%d%n"
                + "    ip: 10.20.5.%d%n", n % 256, i, i, i + 1));
        }
        String dhcpExtra = "";
        if (!valid) {
            switch (random.nextInt(6)) {
                case 0 -> leaseTime = "soon";
                case 1 -> vms.append("  - mac: [02:00:00:cc:00:01\n");
                case 2 -> vms.append("  - mac: 02:00:00:zz:00:01\n    ip: 10.20.6.1\n");
                case 3 -> vms.append("  - mac: 02:00:00:cc:00:02\n    ip: ").append(VM_IP).append('\n');
                case 4 -> dhcpExtra = "  leese-time: 1h\n";
                default -> dhcpExtra = "  pools: [192.168.9.1-192.168.9.9]\n";
            }
        }
        String pools = dhcpExtra.contains("pools:") ? "" : "  pools: [10.20.1.1-10.20.1." + poolEnd + "]\n";
        return "network:\n  interface: lab0\n  address: 10.20.0.1/16\n  router: 10.20.0.1\n"
            + "dhcp:\n" + pools + "  lease-time: " + leaseTime + "\n" + dhcpExtra
            + "metadata: {link-local: true, password-server: false}\n"
            + "state-dir: /nonexistent/appliance-netns-tests\n"
            + "vms:\n" + vms;
    }
}
