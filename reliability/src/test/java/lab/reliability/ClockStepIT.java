package lab.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import lab.appliance.netns.DhclientDriver;
import lab.appliance.netns.NetnsLab;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The system clock steps under a running appliance (libfaketime moves its wall clock, not its monotonic one): two
 * hours forward, past the one-hour lease, then three hours back. The lease stays active through both steps and a
 * reclaim run after each (metadata keeps answering the VM, the admin API lists it active), each step is logged
 * once with its size, and {@code clock_step_seconds} shows the offset. A wall-clock lease table would have expired
 * the lease at the first step and answered the VM 404.
 */
@Tag("netns")
class ClockStepIT {

    private static final String VM_MAC = "02:00:00:aa:00:01";
    private static final String VM_IP = "10.20.0.11";
    /** Longer than the appliance's reclaim interval (10 s) and its clock check (5 s). */
    private static final Duration AFTER_STEP = Duration.ofSeconds(16);

    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(0).plusClient(VM_MAC);

    @Test
    void leasesCountRealElapsedTimeThroughStepsOfTheSystemClock() throws IOException, InterruptedException {
        Path stateDir = LAB.newDirectory("state");
        FakeTimeServer server = new FakeTimeServer(ApplianceServer.fromSystemProperty(),
            LAB.newDirectory("faketime").resolve("offset"));
        BackgroundProcess appliance = LAB.startServer(server, NetnsLab.resource("clock-step.yaml"), stateDir);
        AdminApiCalls admin = new AdminApiCalls(LAB.server(), "http://10.20.0.1:8807",
            stateDir.resolve("admin.token"));
        ClientHost vm = LAB.client(0);
        assertThat(DhclientDriver.on(vm, LAB.newDirectory("dhclient")).obtain().address()).isEqualTo(VM_IP);
        assertThat(instanceId(vm)).isEqualTo("i-steady");

        List<String> seen = new ArrayList<>();
        String[][] steps = {{"+2h", "7200"}, {"-1h", "-10800"}};
        for (int i = 0; i < steps.length; i++) {
            String[] step = steps[i];
            int reported = i + 1;
            server.step(step[0]);
            await("the step of " + step[0] + " logged").atMost(Duration.ofSeconds(30))
                .until(() -> loggedSteps(appliance).size() == reported);
            assertThat(loggedSteps(appliance).get(i)).as("the size of the step logged")
                .isCloseTo(Double.parseDouble(step[1]), org.assertj.core.data.Offset.offset(2.0));
            Thread.sleep(AFTER_STEP.toMillis());
            String answer = instanceId(vm);
            String state = leaseState(admin);
            double offset = metric(admin, "clock_step_seconds");
            seen.add(step[0] + ": metadata=" + answer + " lease=" + state + " clock_step_seconds=" + offset);
            assertThat(answer).as("metadata after the %s step", step[0]).isEqualTo("i-steady");
            assertThat(state).as("lease after the %s step and a reclaim", step[0]).isEqualTo("active");
            assertThat(offset).isCloseTo(step[0].equals("+2h") ? 7200 : -3600,
                org.assertj.core.data.Offset.offset(5.0));
        }
        assertThat(loggedSteps(appliance)).as("one WARN per step").hasSize(2);
        System.out.printf("clock steps +2h then -3h over a 1h lease: %s%n", seen);
    }

    private static List<Double> loggedSteps(BackgroundProcess appliance) {
        Matcher m = Pattern.compile("system clock stepped by (\\S+) s").matcher(appliance.output());
        List<Double> steps = new ArrayList<>();
        while (m.find()) {
            steps.add(Double.parseDouble(m.group(1)));
        }
        return steps;
    }

    private static String instanceId(ClientHost vm) {
        return vm.namespace().exec(Duration.ofSeconds(20), "curl", "-sS", "-m", "15",
            "http://169.254.169.254/latest/meta-data/instance-id").requireSuccess().output().strip();
    }

    private static String leaseState(AdminApiCalls admin) {
        for (JsonNode lease : admin.get("/api/v1/leases")) {
            if (lease.path("ip").asText().equals(VM_IP)) {
                return lease.path("state").asText();
            }
        }
        return "none";
    }

    private static double metric(AdminApiCalls admin, String name) {
        String metrics = admin.call("GET", "/metrics", null, true).body();
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("%s in\n%s", name, metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
