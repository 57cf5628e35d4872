package lab.appliance.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import lab.appliance.fleet.FleetView;
import lab.appliance.fleet.VmTimeline;
import lab.dhcp.MacAddress;
import lab.dhcp.alloc.AddressPool;
import lab.dhcp.codec.DhcpTrafficCounters;
import lab.dhcp.engine.UnknownClientRefusals;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseJournal;
import lab.dhcp.lease.LeaseState;
import lab.dhcp.lease.LeaseStoreHealth;
import lab.dhcp.lease.LeaseTable;
import lab.metadata.Flavour;
import lab.metadata.Instance;
import lab.metadata.http.HttpRefusal;
import lab.metadata.http.HttpRefusalCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplianceMetricsTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final FleetView NO_BOOTS = new FleetView() {
        @Override
        public List<VmTimeline> all() {
            return List.of();
        }

        @Override
        public Optional<VmTimeline> of(String mac) {
            return Optional.empty();
        }
    };

    @TempDir
    Path stateDir;

    @Test
    void scrapeHasCommitFsyncAndMetadataLatencyBucketsAfterActivity() throws Exception {
        LeaseCommitLatency commitLatency = new LeaseCommitLatency();
        try (LeaseTable leases = new LeaseTable(new LeaseJournal(stateDir, commitLatency), CLOCK)) {
            leases.open();
            ApplianceMetrics metrics = new ApplianceMetrics(new DhcpTrafficCounters(), leases,
                    () -> List.of(new AddressPool(ip("192.0.2.100"), ip("192.0.2.199"))), NO_BOOTS, commitLatency,
                    CLOCK);
            leases.addListener(metrics);

            for (int i = 0; i < 3; i++) {
                leases.commit(new Lease(ip("192.0.2." + (100 + i)), MacAddress.parse("02:00:00:00:00:0" + i), "",
                        "", "", NOW, NOW.plusSeconds(3600), LeaseState.ACTIVE)).get(30, TimeUnit.SECONDS);
            }
            metrics.served(instance(), Flavour.EC2, "/latest/meta-data/instance-id", 200, Duration.ofMillis(2));
            metrics.served(instance(), Flavour.NOCLOUD, "/nocloud/meta-data", 200, Duration.ofMillis(30));
            String text = metrics.scrape();

            assertThat(text).contains("# TYPE dhcp_lease_commit_fsync_seconds histogram")
                    .contains("dhcp_lease_commit_fsync_seconds_bucket{le=\"+Inf\"} 3")
                    .contains("dhcp_lease_commit_fsync_seconds_count 3");
            assertThat(text).contains("# TYPE metadata_request_seconds histogram")
                    .contains("metadata_request_seconds_bucket{flavour=\"ec2\",le=\"0.0025\"} 1")
                    .contains("metadata_request_seconds_bucket{flavour=\"nocloud\",le=\"0.025\"} 0")
                    .contains("metadata_request_seconds_bucket{flavour=\"nocloud\",le=\"0.05\"} 1")
                    .contains("metadata_requests_total{flavour=\"ec2\",status=\"200\"} 1");
        }
    }

    @Test
    void requestWithoutItsDurationIsCountedButNotTimed() {
        ApplianceMetrics metrics = new ApplianceMetrics(new DhcpTrafficCounters(), new LeaseTable(
                new LeaseJournal(stateDir), CLOCK), List::of, NO_BOOTS, CLOCK);

        metrics.served(instance(), Flavour.OPENSTACK, "/openstack", 200);

        assertThat(metrics.scrape()).contains("metadata_requests_total{flavour=\"openstack\",status=\"200\"} 1")
                .doesNotContain("metadata_request_seconds_count{flavour=\"openstack\"}");
    }

    @Test
    void refusedUnknownClientsAreCountedByLimit() {
        ApplianceMetrics metrics = new ApplianceMetrics(new DhcpTrafficCounters(), new LeaseTable(
                new LeaseJournal(stateDir), CLOCK), List::of, NO_BOOTS, CLOCK);
        UnknownClientRefusals refusals = new UnknownClientRefusals();
        metrics.registerUnknownClients(refusals);

        refusals.refused(UnknownClientRefusals.Reason.POOL_SHARE);
        refusals.refused(UnknownClientRefusals.Reason.POOL_SHARE);
        refusals.refused(UnknownClientRefusals.Reason.RATE_LIMIT);

        assertThat(metrics.scrape()).contains("# TYPE dhcp_unknown_clients_refused_total counter")
                .contains("dhcp_unknown_clients_refused_total{reason=\"pool-share\"} 2.0")
                .contains("dhcp_unknown_clients_refused_total{reason=\"rate-limit\"} 1.0");
    }

    @Test
    void eachHttpServersRefusalsAreScrapedByServerAndReason() {
        ApplianceMetrics metrics = new ApplianceMetrics(new DhcpTrafficCounters(), new LeaseTable(
                new LeaseJournal(stateDir), CLOCK), List::of, NO_BOOTS, CLOCK);
        HttpRefusalCounters metadata = new HttpRefusalCounters();
        HttpRefusalCounters admin = new HttpRefusalCounters();
        metrics.registerHttp("metadata", metadata);
        metrics.registerHttp("admin", admin);

        metadata.count(HttpRefusal.ADDRESS_CONNECTION_LIMIT);
        metadata.count(HttpRefusal.ADDRESS_CONNECTION_LIMIT);
        admin.count(HttpRefusal.HEADERS_TOO_LARGE);

        assertThat(metrics.scrape())
                .contains("http_refused_total{reason=\"address-connection-limit\",server=\"metadata\"} 2")
                .contains("http_refused_total{reason=\"headers-too-large\",server=\"admin\"} 1")
                .contains("http_refused_total{reason=\"request-deadline\",server=\"admin\"} 0");
    }

    @Test
    void leaseStoreHealthShowsWhetherCommitsSucceedAndHowManyWritesFailed() {
        ApplianceMetrics metrics = new ApplianceMetrics(new DhcpTrafficCounters(), new LeaseTable(
                new LeaseJournal(stateDir), CLOCK), List::of, NO_BOOTS, CLOCK);
        AtomicBoolean writable = new AtomicBoolean(true);
        metrics.registerLeaseStore(new LeaseStoreHealth() {
            @Override
            public boolean writable() {
                return writable.get();
            }

            @Override
            public long failedWrites() {
                return writable.get() ? 0 : 7;
            }

            @Override
            public long failedCompactions() {
                return writable.get() ? 0 : 1;
            }
        });

        assertThat(metrics.scrape()).contains("dhcp_lease_store_writable 1")
                .contains("dhcp_lease_journal_write_failures_total{operation=\"append\"} 0");

        writable.set(false);
        assertThat(metrics.scrape()).contains("dhcp_lease_store_writable 0")
                .contains("dhcp_lease_journal_write_failures_total{operation=\"append\"} 7")
                .contains("dhcp_lease_journal_write_failures_total{operation=\"compaction\"} 1");
    }

    private static Instance instance() {
        return new Instance("i-0200000000aa", "vm-1", ip("192.0.2.100"), 24, Optional.empty(), "02:00:00:00:00:aa",
                "", List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), List.of(), "lab",
                List.of(), false);
    }

    private static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
