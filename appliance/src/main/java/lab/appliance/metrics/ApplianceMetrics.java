package lab.appliance.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import lab.appliance.fleet.BootPhase;
import lab.appliance.fleet.FleetView;
import lab.appliance.fleet.VmTimeline;
import lab.appliance.time.ClockStepWatch;
import lab.dhcp.alloc.AddressPool;
import lab.dhcp.codec.DhcpTrafficCounters;
import lab.dhcp.engine.UnknownClientRefusals;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseListener;
import lab.dhcp.lease.LeaseStoreHealth;
import lab.dhcp.lease.LeaseView;
import lab.dns.DnsCounters;
import lab.metadata.Flavour;
import lab.metadata.Instance;
import lab.metadata.MetadataRequestListener;
import lab.metadata.http.HttpRefusalCounters;
import lab.metadata.link.CallerMacCheck;

/**
 * The appliance's Prometheus metrics, in a registry of its own (no global state): DHCP packets by type and drops by
 * reason (read from the traffic counters at scrape time), unknown clients refused by limit, lease commits by
 * resulting state, active leases and free addresses per pool, metadata requests by flavour and status, VMs per boot
 * phase, what each HTTP server's guard refused by reason (connections over a cap, requests too slow, too large or
 * malformed), spoofed callers refused, the system clock's step from lease time, the lease store's health (once
 * {@link #registerLeaseStore registered}), and two latency histograms: the lease journal's append plus fsync
 * ({@link LeaseCommitLatency}) and metadata answers by flavour. It listens to lease commits and metadata requests;
 * both calls only update a counter or histogram, so they never block a journal or event-loop thread.
 */
public final class ApplianceMetrics implements LeaseListener, MetadataRequestListener {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter commits;
    private final Counter metadataRequests;
    private final Histogram metadataLatency;
    private final List<Map.Entry<String, HttpRefusalCounters>> httpServers = new CopyOnWriteArrayList<>();

    // Metadata answers are in-memory lookups and template renders: sub-millisecond to a few milliseconds.
    private static final double[] METADATA_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05, 0.1, 0.25, 1};

    /** Metrics whose lease commit histogram is not fed by a journal (tests of the other families). */
    public ApplianceMetrics(DhcpTrafficCounters traffic, LeaseView leases, Supplier<List<AddressPool>> pools,
                            FleetView fleet, Clock clock) {
        this(traffic, leases, pools, fleet, new LeaseCommitLatency(), clock);
    }

    /**
     * @param pools        the DHCP pools, read at each scrape so a reload's pools are shown
     * @param commitLatency the histogram the lease journal feeds; registered here
     */
    public ApplianceMetrics(DhcpTrafficCounters traffic, LeaseView leases, Supplier<List<AddressPool>> pools,
                            FleetView fleet, LeaseCommitLatency commitLatency, Clock clock) {
        Objects.requireNonNull(traffic, "traffic");
        registry.register(Objects.requireNonNull(commitLatency, "commitLatency").histogram());
        Objects.requireNonNull(leases, "leases");
        Objects.requireNonNull(pools, "pools");
        Objects.requireNonNull(fleet, "fleet");
        Objects.requireNonNull(clock, "clock");
        CounterWithCallback.builder().name("dhcp_packets_received").help("DHCP requests decoded, by message type")
                .labelNames("type")
                .callback(cb -> traffic.snapshot().received().forEach((type, n) -> cb.call(n, label(type))))
                .register(registry);
        CounterWithCallback.builder().name("dhcp_packets_sent").help("DHCP replies sent, by message type")
                .labelNames("type")
                .callback(cb -> traffic.snapshot().sent().forEach((type, n) -> cb.call(n, label(type))))
                .register(registry);
        CounterWithCallback.builder().name("dhcp_packets_dropped").help("DHCP packets dropped, by reason")
                .labelNames("reason")
                .callback(cb -> traffic.snapshot().dropped().forEach((reason, n) -> cb.call(n, label(reason))))
                .register(registry);
        commits = Counter.builder().name("dhcp_lease_commits").help("lease changes written to the journal, by the "
                + "state they recorded").labelNames("state").register(registry);
        GaugeWithCallback.builder().name("dhcp_leases_active").help("unexpired active leases per pool")
                .labelNames("pool")
                .callback(cb -> {
                    Instant now = clock.instant();
                    for (AddressPool pool : pools.get()) {
                        cb.call(count(leases, pool, l -> l.isActiveAt(now)), pool.toString());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder().name("dhcp_pool_free_addresses")
                .help("addresses of the pool neither leased nor quarantined").labelNames("pool")
                .callback(cb -> {
                    Instant now = clock.instant();
                    for (AddressPool pool : pools.get()) {
                        cb.call(pool.size() - count(leases, pool, l -> l.blocksAddressAt(now)), pool.toString());
                    }
                })
                .register(registry);
        metadataRequests = Counter.builder().name("metadata_requests")
                .help("metadata requests answered for known VMs, by flavour and HTTP status")
                .labelNames("flavour", "status").register(registry);
        metadataLatency = Histogram.builder().name("metadata_request_seconds")
                .help("time to build a metadata answer for a known VM (lookup, tree, templates), by flavour")
                .labelNames("flavour").classicOnly().classicUpperBounds(METADATA_BUCKETS).register(registry);
        GaugeWithCallback.builder().name("fleet_vms").help("VMs seen, by the phase of their current boot")
                .labelNames("phase")
                .callback(cb -> {
                    Map<BootPhase, Long> phases = new EnumMap<>(BootPhase.class);
                    for (BootPhase phase : BootPhase.values()) {
                        phases.put(phase, 0L);
                    }
                    for (VmTimeline vm : fleet.all()) {
                        phases.merge(vm.phase(), 1L, Long::sum);
                    }
                    phases.forEach((phase, n) -> cb.call(n, phase.label()));
                })
                .register(registry);
        CounterWithCallback.builder().name("http_refused")
                .help("connections and requests an HTTP server refused before routing, by server and reason: "
                        + "connection caps (closed at once), request deadline (slowloris), bad-request, "
                        + "uri-too-long, headers-too-large, body-too-large")
                .labelNames("server", "reason")
                .callback(cb -> httpServers.forEach(server -> server.getValue().snapshot()
                        .forEach((reason, n) -> cb.call(n, server.getKey(), reason.label()))))
                .register(registry);
    }

    /** Adds one HTTP server's refusals under {@code server} ({@code metadata}, {@code password}, {@code admin}). */
    public void registerHttp(String server, HttpRefusalCounters refusals) {
        httpServers.add(Map.entry(Objects.requireNonNull(server, "server"),
                Objects.requireNonNull(refusals, "refusals")));
    }

    /** Adds the DHCP requests of unknown clients refused by {@code dhcp.unknown-clients}, by limit. */
    public void registerUnknownClients(UnknownClientRefusals refusals) {
        Objects.requireNonNull(refusals, "refusals");
        CounterWithCallback.builder().name("dhcp_unknown_clients_refused")
                .help("DHCP requests of unknown clients left unanswered by dhcp.unknown-clients, by limit: "
                        + "pool-share (their share of the subnet's pools is held), rate-limit (too many new ones a "
                        + "second from one relay or the interface)")
                .labelNames("reason")
                .callback(cb -> refusals.snapshot().forEach((reason, n) -> cb.call(n, reason.label())))
                .register(registry);
    }

    /**
     * Adds the lease store's health: whether it is writable now (0 while a full or read-only disk fails every commit,
     * so no REQUEST is ACKed) and how many of its writes and compactions failed.
     */
    public void registerLeaseStore(LeaseStoreHealth store) {
        Objects.requireNonNull(store, "store");
        GaugeWithCallback.builder().name("dhcp_lease_store_writable")
                .help("1 while lease commits succeed, 0 from a failed journal write until one succeeds again")
                .callback(cb -> cb.call(store.writable() ? 1 : 0)).register(registry);
        CounterWithCallback.builder().name("dhcp_lease_journal_write_failures")
                .help("lease journal writes that failed (full or read-only disk), by operation: an append is one "
                        + "force of a group commit, a compaction leaves the old journal in use")
                .labelNames("operation")
                .callback(cb -> {
                    cb.call(store.failedWrites(), "append");
                    cb.call(store.failedCompactions(), "compaction");
                })
                .register(registry);
    }

    /** Adds the DNS server's counters: every question heard, and what became of them by outcome. */
    public void registerDns(DnsCounters dns) {
        Objects.requireNonNull(dns, "dns");
        CounterWithCallback.builder().name("dns_questions").help("DNS questions heard, UDP and TCP")
                .callback(cb -> cb.call(dns.questions())).register(registry);
        CounterWithCallback.builder().name("dns_outcomes")
                .help("what became of DNS questions: answered from the lab zone (of which nxdomain), forwarded "
                        + "(of which failed), refused, malformed, rate-limited, truncated")
                .labelNames("outcome")
                .callback(cb -> dns.byOutcome().forEach((outcome, n) -> cb.call(n, outcome))).register(registry);
    }

    /** Counts the requests refused because the caller's MAC was not its lease's (see {@link CallerMacCheck}). */
    public void registerCallerMacCheck(CallerMacCheck check) {
        Objects.requireNonNull(check, "check");
        CounterWithCallback.builder().name("metadata_spoofed_requests")
                .help("metadata, password and boot-report requests refused with 403: the caller's MAC in the "
                        + "neighbour table was not the MAC of the lease of its address")
                .callback(cb -> cb.call(check.refused())).register(registry);
    }

    /** The system clock's offset from lease time (see {@link ClockStepWatch}): 0 until the system clock steps. */
    public void registerClockStepWatch(ClockStepWatch steps) {
        Objects.requireNonNull(steps, "steps");
        GaugeWithCallback.builder().name("clock_step_seconds")
                .help("how far the system clock has stepped from lease time since start (leases count real "
                        + "elapsed time); non-zero means shown times are offset from the system clock")
                .callback(cb -> cb.call(steps.offsetSeconds())).register(registry);
    }

    @Override
    public void leaseChanged(Optional<Lease> before, Lease after) {
        commits.labelValues(label(after.state())).inc();
    }

    @Override
    public void served(Instance instance, Flavour flavour, String path, int status) {
        metadataRequests.labelValues(label(flavour), Integer.toString(status)).inc();
    }

    @Override
    public void served(Instance instance, Flavour flavour, String path, int status, Duration took) {
        served(instance, flavour, path, status);
        metadataLatency.labelValues(label(flavour)).observe(took.toNanos() / 1e9);
    }

    /** Every family in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static long count(LeaseView leases, AddressPool pool, java.util.function.Predicate<Lease> which) {
        return leases.all().stream().filter(l -> pool.contains((Inet4Address) l.ip())).filter(which).count();
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
