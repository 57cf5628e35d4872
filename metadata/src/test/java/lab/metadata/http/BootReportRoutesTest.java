package lab.metadata.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.metadata.BootReport;
import lab.metadata.Instance;
import lab.metadata.MetadataRequestListener;
import lab.metadata.ServedInstance;
import lab.metadata.TestInstances;
import lab.metadata.ec2.Imdsv2Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** POST /phone-home[/…] and /cloud-init/events: the two ways cloud-init tells the appliance how its boot went. */
class BootReportRoutesTest {

    private static final InetAddress APPLIANCE = TestInstances.ip("192.0.2.1");
    private static final InetAddress VM17 = TestInstances.ip("192.0.2.17");
    private static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyOfVm17 root@waf-17\n";

    private final Instance vm17 = TestInstances.full("192.0.2.17");
    private final List<BootReport> reports = new CopyOnWriteArrayList<>();
    private final List<String> served = new CopyOnWriteArrayList<>();
    private final MetadataRouter router = new MetadataRouter(
        caller -> caller.equals(VM17) ? Optional.of(ServedInstance.of(vm17)) : Optional.empty(),
        new Imdsv2Tokens(Clock.systemUTC(), 10),
        (MetadataRequestListener) (instance, flavour, path, status) -> served.add(path),
        (instance, report) -> {
            assertThat(instance).isSameAs(vm17);
            reports.add(report);
        });

    private MetadataAnswer post(String path, InetAddress caller, String body) {
        return router.route(new MetadataRequest("POST", path, caller, APPLIANCE, Optional.empty(), Optional.empty(),
            body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String form(String... pairs) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            out.append(out.isEmpty() ? "" : "&").append(pairs[i]).append('=')
                .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/phone-home", "/phone-home/i-0000000000000017"})
    void phoneHomeFormIsReportedWithoutItsHostKeys(String path) {
        MetadataAnswer answer = post(path, VM17, form("pub_key_rsa", "N/A", "pub_key_ed25519", HOST_KEY,
            "instance_id", "i-0000000000000017", "hostname", "waf-17", "fqdn", "waf-17.lab.example.org"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(reports).containsExactly(new BootReport(BootReport.Kind.PHONE_HOME, "phone_home", "",
            Optional.empty(), Map.of("instance_id", "i-0000000000000017", "hostname", "waf-17",
            "fqdn", "waf-17.lab.example.org")));
        assertThat(reports.get(0).toString()).doesNotContain("AAAAC3NzaC1lZDI1NTE5");
        assertThat(served).as("reports are not metadata requests").isEmpty();
    }

    @Test
    void webhookFinishOfModulesFinalEndsTheBoot() {
        MetadataAnswer answer = post("/cloud-init/events", VM17, """
            {"name": "modules-final", "description": "running modules for final", "event_type": "finish",
             "origin": "cloudinit", "timestamp": 1764072000.25, "result": "SUCCESS"}""");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.kind()).isEqualTo(BootReport.Kind.EVENT);
            assertThat(report.name()).isEqualTo("modules-final");
            assertThat(report.result()).contains("SUCCESS");
            assertThat(report.endsBoot()).isTrue();
        });
    }

    @Test
    void webhookStartHasNoResultAndEndsNothing() {
        assertThat(post("/cloud-init/events", VM17, """
            {"name": "modules-config/config-runcmd", "description": "running config-runcmd",
             "event_type": "start", "origin": "cloudinit", "timestamp": 1764072000.0}""").status()).isEqualTo(200);

        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.eventType()).isEqualTo("start");
            assertThat(report.result()).isEmpty();
            assertThat(report.endsBoot()).isFalse();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pub=%zz", "unrelated=1"})
    void malformedPhoneHomeIs400AndReportsNothing(String body) {
        MetadataAnswer answer = post("/phone-home", VM17, body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.bodyText()).startsWith("bad request: ");
        assertThat(reports).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "not json", "[1, 2]", "{\"event_type\": \"finish\", \"result\": \"SUCCESS\"}",
        "{\"name\": \"modules-final\", \"event_type\": \"done\"}",
        "{\"name\": \"modules-final\", \"event_type\": \"finish\"}",
        "{\"name\": \"modules-final\", \"event_type\": \"finish\", \"result\": \"MAYBE\"}",
        "{\"name\": 7, \"event_type\": \"start\"}"})
    void malformedEventIs400AndReportsNothing(String body) {
        MetadataAnswer answer = post("/cloud-init/events", VM17, body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(reports).isEmpty();
    }

    @Test
    void callerWithoutALeaseIs404() {
        MetadataAnswer answer = post("/phone-home", TestInstances.ip("192.0.2.99"), form("instance_id", "i-1"));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.bodyText()).isEqualTo("no lease for 192.0.2.99");
        assertThat(reports).isEmpty();
    }

    @Test
    void getOnAReportPathIs405AllowingPost() {
        MetadataAnswer answer = router.route(new MetadataRequest("GET", "/cloud-init/events", VM17, APPLIANCE,
            Optional.empty(), Optional.empty()));

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.allow()).contains("POST");
    }
}
