package lab.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import lab.appliance.netns.ClientLease;
import lab.appliance.netns.CommandResult;
import lab.appliance.netns.DebPackage;
import lab.appliance.netns.DebianTestRoot;
import lab.appliance.netns.DhclientDriver;
import lab.appliance.netns.LeaseJournalFile;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.NspawnContainer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Debian package, end to end in a throw-away Debian 12 container: apt installs it with its dependencies, the
 * container boots with systemd inside the lab's server namespace and the packaged unit serves a real dhclient in a
 * client namespace; a newer version installed over it restarts the service and keeps its leases and the admin's
 * config; {@code apt-get remove} keeps both, {@code apt-get purge} deletes both.
 *
 * <p>The steps build on each other, in order, on one container; a fresh copy of the cached root is unpacked for each
 * run ({@link DebianTestRoot}) and deleted after it.
 */
@Tag("netns")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebPackageIT {

    /** apt installs Java 17 with its dependencies from the root's cache: ca-certificates-java runs Java, slowly. */
    private static final Duration APT_TIMEOUT = Duration.ofMinutes(5);
    /** A JVM start in a container on a loaded 2-core machine, plus systemd's 5 s restart delay if it failed once. */
    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final String CONFIG = "/etc/appliance/appliance.yaml";
    private static final String STATE_DIR = "/var/lib/appliance";

    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.withClients(1);

    private static DebPackage firstBuild;
    private static NspawnContainer container;
    private static DhclientDriver dhclient;
    private static String labConfig;
    private static ClientLease lease;

    @BeforeAll
    static void unpackFreshRoot() throws IOException {
        dhclient = DhclientDriver.on(LAB.client(0), LAB.newDirectory("dhclient"));
        DebianTestRoot testRoot = DebianTestRoot.assumeAvailable();
        firstBuild = DebPackage.fromSystemProperty();
        labConfig = Files.readString(NetnsLab.resource("deb-package.yaml"), StandardCharsets.UTF_8);
        container = new NspawnContainer(testRoot.unpackInto(LAB.newDirectory("root")),
                "dpk-" + ProcessHandle.current().pid());
        System.out.printf("DebPackageIT: %s in a copy of %s%n", firstBuild.file(), testRoot.tarball());
    }

    @AfterAll
    static void stopAndDeleteContainer() {
        if (container != null) {
            container.close();
            DebianTestRoot.delete(container.root());
        }
    }

    @Test
    @Order(1)
    void aptInstallsThePackageAndWhatItDependsOn() throws IOException {
        CommandResult install = aptInstallUnbooted(firstBuild);

        assertThat(install.output()).as("apt's plan").contains("openjdk-17-jre-headless");
        assertThat(inRoot("dpkg-query", "-W", "-f=${Version} ${db:Status-Abbrev}", "appliance").output().strip())
                .isEqualTo(firstBuild.version() + " ii");
        assertThat(container.file("/usr/share/appliance/appliance.jar")).isRegularFile();
        assertThat(container.file("/lib/systemd/system/appliance.service")).isRegularFile();
        assertThat(inRoot("getent", "passwd", "appliance").output())
                .as("the system user").contains(":/var/lib/appliance:/usr/sbin/nologin");
        assertThat(container.file("/etc/systemd/system/multi-user.target.wants/appliance.service"))
                .as("enabled by postinst").isSymbolicLink();
        assertThat(inRoot("dpkg-query", "-W", "-f=${Conffiles}", "appliance").output())
                .contains(CONFIG, "/etc/appliance/profiles/waf-vendor.yaml");
        assertThat(inRoot("stat", "-c", "%U:%G %a", "/etc/appliance", CONFIG, "/etc/appliance/admin.token",
                STATE_DIR).output().lines())
                .containsExactly("root:appliance 750", "root:appliance 640", "root:appliance 640",
                        "appliance:appliance 750");

        // The admin's edit of the conffile: the lab's interface and address instead of the example's.
        Files.writeString(container.file(CONFIG), labConfig, StandardCharsets.UTF_8);
        assertThat(inRoot("appliance", "check-config", CONFIG).exitCode()).as("the launcher on PATH").isZero();
    }

    @Test
    @Order(2)
    void bootedServiceLeasesToARealClient() throws IOException {
        LAB.track(container.boot(LAB.server(), LAB.newDirectory("console").resolve("console.log")));
        awaitReadyLines(1);

        assertThat(inContainer("systemctl", "is-active", "appliance").output().strip()).isEqualTo("active");
        assertThat(inContainer("stat", "-c", "%U", "/proc/" + mainPid()).output().strip())
                .as("the service's user").isEqualTo("appliance");

        lease = dhclient.obtain();

        assertThat(toLong(lease.ip())).isBetween(toLong("10.20.1.1"), toLong("10.20.1.50"));
        assertThat(lease.serverId()).contains((Inet4Address) InetAddress.getByName("10.20.0.1"));
        assertThat(journal().entriesFor(lease.address())).as("journal lines for %s", lease.address())
                .anySatisfy(entry -> {
                    assertThat(entry.mac()).isEqualTo(LAB.client(0).mac().toString());
                    assertThat(entry.state()).isEqualTo("ACTIVE");
                });
        assertThat(inContainer("appliance", "leases").requireSuccess().output())
                .contains(lease.address(), LAB.client(0).mac().toString());
        // Port 80 under the unit's hardening (CAP_NET_BIND_SERVICE only), asked from the lab's side.
        assertThat(inClient("curl", "-sS", "--max-time", "10", "http://10.20.0.1/latest/meta-data/instance-id")
                .requireSuccess().output().strip())
                .isEqualTo("i-" + LAB.client(0).mac().toString().replace(":", ""));
        // Port 53 too, and the client's name from its lease.
        assertResolves(lease.address());
    }

    /** The lab DNS server in the container answers the leased address's name both ways, asked from the lab. */
    private static void assertResolves(String address) {
        String name = "ip-" + address.replace('.', '-') + ".lab.internal";
        assertThat(inClient("dig", "@10.20.0.1", "+short", "+time=3", "+tries=2", name).requireSuccess().output()
                .strip()).as("A of %s", name).isEqualTo(address);
        assertThat(inClient("dig", "@10.20.0.1", "+short", "+time=3", "+tries=2", "-x", address).requireSuccess()
                .output().strip()).as("PTR of %s", address).isEqualTo(name + ".");
    }

    @Test
    @Order(3)
    void newerVersionRestartsTheServiceAndKeepsLeasesAndConfig() throws IOException {
        DebPackage next = firstBuild.withVersion(firstBuild.version() + "+1", LAB.newDirectory("next"));
        String oldPid = mainPid();
        copyIntoRoot(next);

        // Booted now: postinst restarts the service. Nothing is downloaded (every dependency is installed).
        inContainer("apt-get", "install", "-y", "--no-install-recommends", "/root/" + next.fileName())
                .requireSuccess();

        assertThat(inContainer("dpkg-query", "-W", "-f=${Version}", "appliance").output().strip())
                .isEqualTo(next.version());
        awaitReadyLines(2);
        assertThat(mainPid()).as("main PID after the upgrade").isNotEqualTo(oldPid);
        assertThat(Files.readString(container.file(CONFIG), StandardCharsets.UTF_8))
                .as("the admin's config").isEqualTo(labConfig);
        assertThat(inContainer("appliance", "leases").requireSuccess().output())
                .as("leases the new version replayed from its journal").contains(lease.address());
        assertThat(dhclient.reboot().address()).as("INIT-REBOOT after the upgrade").isEqualTo(lease.address());
        assertResolves(lease.address());
    }

    @Test
    @Order(4)
    void removeStopsTheServiceAndKeepsStateAndConfig() throws IOException {
        inContainer("apt-get", "remove", "-y", "appliance").requireSuccess();

        assertThat(inContainer("systemctl", "is-active", "appliance").output().strip()).isEqualTo("inactive");
        assertThat(inContainer("dpkg-query", "-W", "-f=${db:Status-Abbrev}", "appliance").output().strip())
                .as("removed, config files kept").isEqualTo("rc");
        assertThat(container.file("/usr/share/appliance/appliance.jar")).doesNotExist();
        assertThat(journal().entriesFor(lease.address())).as("the leases journal").isNotEmpty();
        assertThat(Files.readString(container.file(CONFIG), StandardCharsets.UTF_8)).isEqualTo(labConfig);
    }

    @Test
    @Order(5)
    void purgeDeletesStateAndConfig() {
        inContainer("apt-get", "purge", "-y", "appliance").requireSuccess();

        assertThat(container.file(STATE_DIR)).doesNotExist();
        assertThat(container.file("/etc/appliance")).doesNotExist();
        assertThat(inContainer("dpkg-query", "-W", "appliance").exitCode()).as("dpkg knows no appliance").isNotZero();
    }

    /**
     * Runs {@code command} in the client's namespace, the lab network's side the VMs see: where a name lookup
     * against the appliance would go once it serves DNS.
     */
    private static CommandResult inClient(String... command) {
        return LAB.client(0).namespace().exec(COMMAND_TIMEOUT, command);
    }

    /**
     * apt-get install of {@code deb} in the unbooted root. Its package lists date from when the root was cached; if
     * the mirror has dropped a version they name, apt cannot fetch it and gets fresh lists first.
     */
    private static CommandResult aptInstallUnbooted(DebPackage deb) throws IOException {
        copyIntoRoot(deb);
        String[] install = {"apt-get", "install", "-y", "--no-install-recommends", "./" + deb.fileName()};
        CommandResult result = container.runUnbooted(APT_TIMEOUT, install);
        if (!result.succeeded() && result.output().contains("Unable to fetch")) {
            System.out.println("DebPackageIT: the cached package lists are stale; apt-get update, then install again");
            container.runUnbooted(APT_TIMEOUT, "apt-get", "update").requireSuccess();
            result = container.runUnbooted(APT_TIMEOUT, install);
        }
        return result.requireSuccess();
    }

    private static void copyIntoRoot(DebPackage deb) throws IOException {
        Files.copy(deb.file(), container.file("/root/" + deb.fileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    private static CommandResult inRoot(String... command) {
        return container.runUnbooted(COMMAND_TIMEOUT, command);
    }

    private static CommandResult inContainer(String... command) {
        return container.exec(APT_TIMEOUT, command);
    }

    private static String mainPid() {
        return inContainer("systemctl", "show", "--property=MainPID", "--value", "appliance").output().strip();
    }

    /** Waits until the service has logged its ready line {@code count} times in this boot and is active. */
    private static void awaitReadyLines(int count) {
        try {
            await("appliance ready #" + count).atMost(SERVICE_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> serviceJournal().lines().filter(line -> line.contains("appliance ready")).count()
                            >= count
                            && inContainer("systemctl", "is-active", "appliance").output().strip().equals("active"));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the service did not get ready (" + count + ") in "
                    + SERVICE_TIMEOUT.toSeconds() + " s; its journal:\n" + serviceJournal(), e);
        }
    }

    private static String serviceJournal() {
        return inContainer("journalctl", "--unit=appliance", "--no-pager", "--output=cat").output();
    }

    private static LeaseJournalFile journal() {
        return new LeaseJournalFile(container.file(STATE_DIR));
    }

    private static long toLong(String address) throws IOException {
        return toLong((Inet4Address) InetAddress.getByName(address));
    }

    private static long toLong(Inet4Address address) {
        byte[] b = address.getAddress();
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }
}
