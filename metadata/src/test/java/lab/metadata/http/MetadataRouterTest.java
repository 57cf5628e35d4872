package lab.metadata.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lab.metadata.BootReportListener;
import lab.metadata.Flavour;
import lab.metadata.Instance;
import lab.metadata.MetadataRequestListener;
import lab.metadata.ServedInstance;
import lab.metadata.TestInstances;
import lab.metadata.ec2.Imdsv2Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetadataRouterTest {

    private static final InetAddress APPLIANCE = TestInstances.ip("192.0.2.1");
    private static final InetAddress LINK_LOCAL = TestInstances.ip("169.254.169.254");
    private static final InetAddress VM17 = TestInstances.ip("192.0.2.17");
    private static final InetAddress VM42 = TestInstances.ip("192.0.2.42");

    private final Map<InetAddress, Instance> leases = Map.of(
        VM17, TestInstances.full("192.0.2.17"),
        VM42, TestInstances.withTokensRequired(TestInstances.bare("192.0.2.42")));
    private final List<String> served = new ArrayList<>();
    private final MetadataRouter router = new MetadataRouter(address -> Optional.ofNullable(leases.get(address)).map(ServedInstance::of),
        new Imdsv2Tokens(Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC), 100),
        (instance, flavour, path, status) -> served.add(instance.instanceId() + " " + flavour + " " + path + " "
            + status), BootReportListener.NONE);

    private static MetadataRequest get(String path, InetAddress caller, InetAddress local) {
        return new MetadataRequest("GET", path, caller, local, Optional.empty(), Optional.empty());
    }

    private static MetadataRequest withToken(String path, InetAddress caller, String token) {
        return new MetadataRequest("GET", path, caller, LINK_LOCAL, Optional.of(token), Optional.empty());
    }

    private static MetadataRequest putToken(InetAddress caller, Optional<String> ttl) {
        return new MetadataRequest("PUT", "/latest/api/token", caller, LINK_LOCAL, Optional.empty(), ttl);
    }

    @Test
    void unknownCallerGets404NamingItsAddressAndNothingElse() {
        MetadataAnswer answer = router.route(get("/latest/meta-data/instance-id", TestInstances.ip("192.0.2.99"),
            APPLIANCE));
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.bodyText()).isEqualTo("no lease for 192.0.2.99");
        assertThat(served).isEmpty();
    }

    @Test
    void eachCallerSeesOnlyItsOwnInstance() {
        assertThat(router.route(get("/latest/meta-data/instance-id", VM17, APPLIANCE)).bodyText())
            .isEqualTo("i-0000000000000017");
        MetadataRequest fromVm42 = new MetadataRequest("GET", "/nocloud/meta-data", VM42, APPLIANCE, Optional.empty(),
            Optional.empty());
        assertThat(router.route(fromVm42).bodyText()).contains("i-0000000000000042").doesNotContain("0017");
    }

    @Test
    void listenerKeepingLatencyHearsHowLongTheAnswerTook() {
        List<String> timed = new ArrayList<>();
        MetadataRequestListener latency = new MetadataRequestListener() {
            @Override
            public void served(Instance instance, Flavour flavour, String path, int status) {
                timed.add("without time " + path);
            }

            @Override
            public void served(Instance instance, Flavour flavour, String path, int status, Duration took) {
                timed.add(flavour + " " + path + " " + status + (took.isNegative() ? " negative" : " timed"));
            }
        };
        MetadataRouter timedRouter = new MetadataRouter(address -> Optional.ofNullable(leases.get(address)).map(ServedInstance::of),
            new Imdsv2Tokens(Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC), 100), latency,
            BootReportListener.NONE);

        timedRouter.route(get("/latest/meta-data/instance-id", VM17, LINK_LOCAL));
        timedRouter.route(get("/latest/meta-data/instance-id", TestInstances.ip("192.0.2.99"), LINK_LOCAL));

        assertThat(timed).containsExactly("EC2 /latest/meta-data/instance-id 200 timed");
    }

    @ParameterizedTest
    @CsvSource({
        "/latest/meta-data/instance-id, 192.0.2.1, CLOUDSTACK",
        "/latest/meta-data/instance-id, 169.254.169.254, EC2",
        "/2009-04-04/meta-data/instance-id, 192.0.2.1, EC2",
        "/openstack, 169.254.169.254, OPENSTACK",
        "/openstack/latest/meta_data.json, 192.0.2.1, OPENSTACK",
        "/nocloud/meta-data, 192.0.2.1, NOCLOUD"})
    void flavourFollowsPathAndLocalAddress(String path, String local, Flavour flavour) {
        MetadataAnswer answer = router.route(get(path, VM17, TestInstances.ip(local)));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.flavour()).contains(flavour);
        assertThat(served).containsExactly("i-0000000000000017 " + flavour + " " + path + " 200");
    }

    @Test
    void rootListsEc2VersionsWithoutSlash() {
        assertThat(router.route(get("/", VM17, LINK_LOCAL)).bodyText())
            .isEqualTo("2009-04-04\n2016-09-02\n2018-09-24\n2021-03-23\nlatest");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() {
        assertThat(router.route(get("/latest/meta-data/nothing", VM17, LINK_LOCAL)).status()).isEqualTo(404);
        MetadataAnswer post = router.route(new MetadataRequest("POST", "/latest/meta-data/", VM17, LINK_LOCAL,
            Optional.empty(), Optional.empty()));
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.allow()).contains("GET");
        MetadataAnswer getToken = router.route(get("/latest/api/token", VM17, LINK_LOCAL));
        assertThat(getToken.status()).isEqualTo(405);
        assertThat(getToken.allow()).contains("PUT");
    }

    private static MetadataRequest fromMac(String method, String path, InetAddress caller, String mac,
                                           boolean forwarded) {
        return new MetadataRequest(method, path, caller, LINK_LOCAL, Optional.empty(), Optional.of("60"),
            new byte[0], Optional.of(mac), forwarded);
    }

    @Test
    void callerOnTheLinkWithAnotherMacThanItsLeaseIsRefusedEverywhere() {
        String leaseMac = leases.get(VM17).mac();
        String intruder = "02:00:00:00:66:66";
        assertThat(router.route(fromMac("GET", "/latest/meta-data/instance-id", VM17, leaseMac, false)).status())
            .isEqualTo(200);
        assertThat(router.route(fromMac("GET", "/latest/meta-data/instance-id", VM17, leaseMac.toUpperCase(),
            false)).status()).as("MACs compare without case").isEqualTo(200);
        for (String path : List.of("/latest/meta-data/instance-id", "/latest/user-data", "/openstack/latest/meta_data.json",
            "/nocloud/meta-data")) {
            MetadataAnswer answer = router.route(fromMac("GET", path, VM17, intruder, false));
            assertThat(answer.status()).as(path).isEqualTo(403);
            assertThat(answer.bodyText()).doesNotContain("i-0000000000000017");
        }
        assertThat(router.route(fromMac("PUT", "/latest/api/token", VM17, intruder, false)).status()).isEqualTo(403);
        assertThat(router.route(fromMac("POST", "/phone-home", VM17, intruder, false)).status()).isEqualTo(403);
        assertThat(served).as("a refused request is nobody's boot progress")
            .allMatch(line -> !line.contains("403"));
    }

    @Test
    void tokenPutThroughAProxyIsRefusedAndADirectOneLeavesWithHopLimitOne() {
        String leaseMac = leases.get(VM17).mac();
        MetadataAnswer proxied = router.route(fromMac("PUT", "/latest/api/token", VM17, leaseMac, true));
        assertThat(proxied.status()).isEqualTo(403);
        assertThat(proxied.bodyText()).contains("X-Forwarded-For");
        MetadataAnswer direct = router.route(fromMac("PUT", "/latest/api/token", VM17, leaseMac, false));
        assertThat(direct.status()).isEqualTo(200);
        assertThat(direct.hopLimited()).isTrue();
        assertThat(router.route(fromMac("GET", "/latest/meta-data/instance-id", VM17, leaseMac, true)).hopLimited())
            .as("only the token answer is hop-limited").isFalse();
    }

    @Test
    void tokenPutNeedsAValidTtl() {
        assertThat(router.route(putToken(VM17, Optional.empty())).status()).isEqualTo(400);
        assertThat(router.route(putToken(VM17, Optional.of("0"))).status()).isEqualTo(400);
        assertThat(router.route(putToken(VM17, Optional.of("21601"))).status()).isEqualTo(400);
        MetadataAnswer token = router.route(putToken(VM17, Optional.of("21600")));
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.bodyText()).isNotBlank();
    }

    @Test
    void tokenWhenSentIsCheckedEvenIfNotRequired() {
        String token = router.route(putToken(VM17, Optional.of("60"))).bodyText();
        assertThat(router.route(withToken("/latest/meta-data/instance-id", VM17, token)).status()).isEqualTo(200);
        assertThat(router.route(withToken("/latest/meta-data/instance-id", VM17, "forged")).status()).isEqualTo(401);
        assertThat(router.route(get("/2021-03-23/meta-data/instance-id", VM17, LINK_LOCAL)).status()).isEqualTo(200);
    }

    @Test
    void requiredTokenMeansNoTokenIs401AndAnotherCallersTokenToo() {
        assertThat(router.route(get("/latest/meta-data/instance-id", VM42, LINK_LOCAL)).status()).isEqualTo(401);
        String vm17Token = router.route(putToken(VM17, Optional.of("60"))).bodyText();
        assertThat(router.route(withToken("/latest/meta-data/instance-id", VM42, vm17Token)).status())
            .isEqualTo(401);
        String own = router.route(putToken(VM42, Optional.of("60"))).bodyText();
        assertThat(router.route(withToken("/latest/meta-data/instance-id", VM42, own)).bodyText())
            .isEqualTo("i-0000000000000042");
    }

    @Test
    void userDataIs404WhenNoneForEc2ButEmpty200ForNoCloud() {
        assertThat(router.route(get("/latest/user-data", VM17, APPLIANCE)).status()).isEqualTo(200);
        Map<InetAddress, Instance> bareOnly = Map.of(VM42, TestInstances.bare("192.0.2.42"));
        MetadataRouter bareRouter = new MetadataRouter(address -> Optional.ofNullable(bareOnly.get(address)).map(ServedInstance::of),
            new Imdsv2Tokens(Clock.systemUTC(), 10), (instance, flavour, path, status) -> { },
            BootReportListener.NONE);
        assertThat(bareRouter.route(get("/latest/user-data", VM42, APPLIANCE)).status()).isEqualTo(404);
        assertThat(bareRouter.route(get("/openstack/latest/user_data", VM42, LINK_LOCAL)).status()).isEqualTo(404);
        MetadataAnswer noCloud = bareRouter.route(get("/nocloud/user-data", VM42, APPLIANCE));
        assertThat(noCloud.status()).isEqualTo(200);
        assertThat(noCloud.body()).isEmpty();
    }
}
