package lab.appliance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.Optional;
import lab.appliance.admin.AdminRoutes;
import lab.appliance.admin.AdminServer;
import lab.appliance.admin.AdminToken;
import lab.appliance.pair.NodeIdentity;
import lab.appliance.pair.ActiveTerm;
import lab.appliance.state.StateDocuments;
import lab.appliance.store.DatabaseStateDocuments;
import lab.appliance.store.StoreDatabase;
import lab.appliance.dns.LabDns;
import lab.appliance.fleet.BootDiagnosis;
import lab.appliance.fleet.FleetTracker;
import lab.appliance.fleet.FleetView;
import lab.appliance.inventory.EditedConfig;
import lab.appliance.inventory.FilePasswordLedger;
import lab.appliance.inventory.InventoryChanges;
import lab.appliance.inventory.InventoryChangesFile;
import lab.appliance.inventory.InventoryEdits;
import lab.appliance.inventory.LiveInventory;
import lab.appliance.inventory.PasswordDigests;
import lab.appliance.inventory.ProfileAssignments;
import lab.appliance.inventory.VmHostnames;
import lab.appliance.inventory.VmIdentity;
import lab.appliance.launch.GuestHints;
import lab.appliance.launch.QemuLaunchArgs;
import lab.appliance.metrics.ApplianceMetrics;
import lab.appliance.metrics.LeaseCommitLatency;
import lab.appliance.time.ClockStepWatch;
import lab.appliance.time.ElapsedClock;
import lab.config.ConfigException;
import lab.config.ConfigProblem;
import lab.config.model.ApplianceConfig;
import lab.config.model.DeviceProfile;
import lab.config.model.HaConfig;
import lab.config.model.StoreConfig;
import lab.config.model.NetworkConfig;
import lab.dhcp.alloc.PendingOffers;
import lab.dhcp.codec.DhcpTrafficCounters;
import lab.dhcp.engine.DhcpEngine;
import lab.dhcp.engine.LeaseChangeLog;
import lab.dhcp.engine.UnknownClientRefusals;
import lab.dhcp.lease.LeaseJournal;
import lab.dhcp.lease.LeaseStore;
import lab.dhcp.lease.LeaseStoreHealth;
import lab.dhcp.lease.LeaseTable;
import lab.dhcp.server.DhcpBindException;
import lab.dhcp.server.DhcpServer;
import lab.dhcp.server.DhcpSocketSettings;
import lab.metadata.Flavour;
import lab.metadata.Instance;
import lab.metadata.InstanceDirectory;
import lab.metadata.MetadataRequestListener;
import lab.metadata.MetadataServer;
import lab.metadata.cloudstack.PasswordServer;
import lab.metadata.link.CallerMacCheck;
import lab.metadata.link.KernelNeighbourTable;
import lab.metadata.link.NeighbourTable;
import lab.metadata.userdata.UserDataRenderer;
import lab.pgstore.PgDocuments;
import lab.pgstore.PgLeaseStore;
import lab.pgstore.PgTimelineLines;
import lab.pgstore.PostgresDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running appliance, wired by hand in one place: host checks, then the lease table (replayed from the journal),
 * the inventory (config plus admin edits), the fleet timeline (replayed from its journal), the DHCP engine and its
 * socket, the metadata address and servers, the admin API, then the housekeeping timers. {@link #close()} stops
 * them in reverse order.
 */
public final class Appliance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Appliance.class);
    static final int METADATA_PORT = 80;
    /** CloudStack's password server port, fixed in cloud-init's DataSourceCloudStack. */
    static final int PASSWORD_PORT = 8080;

    private final ApplianceConfig config;
    private final Optional<ActiveTerm> term;
    /** The state directory's files, or the store's database once {@link #leaseStore} opened it. */
    private StateDocuments documents = StateDocuments.FILES;
    /** The pair's fleet timeline in the store's database; empty with the journal (the state directory's file). */
    private Optional<PgTimelineLines> timeline = Optional.empty();
    private final Clock clock;
    private final ProblemLocator locator;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final DhcpTrafficCounters counters = new DhcpTrafficCounters();
    private final UnknownClientRefusals refusals = new UnknownClientRefusals();
    private LeaseTable leases;
    private LiveInventory inventory;
    private InventoryEdits edits;
    private ApplianceMetrics metrics;
    private FleetTracker fleet;
    private PendingOffers offers;
    private SwappableResponder responder;
    /** The config in force: the start-up one, then each reloaded one. */
    private final AtomicReference<ApplianceConfig> running = new AtomicReference<>();

    public Appliance(ApplianceConfig config, ProblemLocator locator) {
        this(config, locator, new ElapsedClock());
    }

    /** The active node of a pair, in its term: leases on the pair's database, every write fenced by the lock. */
    public Appliance(ApplianceConfig config, ProblemLocator locator, ActiveTerm term) {
        this(config, locator, new ElapsedClock(), Optional.of(term));
    }

    Appliance(ApplianceConfig config, ProblemLocator locator, Clock clock) {
        this(config, locator, clock, Optional.empty());
    }

    private Appliance(ApplianceConfig config, ProblemLocator locator, Clock clock, Optional<ActiveTerm> term) {
        this.term = Objects.requireNonNull(term, "term");
        this.config = Objects.requireNonNull(config, "config");
        this.running.set(config);
        this.locator = Objects.requireNonNull(locator, "locator");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Starts everything or, on a problem, what started is left for {@link #close()} and the problems are thrown. */
    public void start() throws HostProblemsException {
        List<ConfigProblem> problems = new HostChecks(config, locator).run();
        if (!problems.isEmpty()) {
            throw new HostProblemsException(problems);
        }
        LeaseCommitLatency commitLatency = new LeaseCommitLatency();
        LeaseStore store = leaseStore(commitLatency);
        leases = new LeaseTable(store, clock);
        try {
            leases.open();
        } catch (IOException e) {
            throw new HostProblemsException(List.of(config.store().kind() == StoreConfig.Kind.POSTGRESQL
                    ? locator.at("store.url", "cannot load the leases: " + e.getMessage())
                    : locator.at("state-dir", "cannot load the lease journal: " + e.getMessage())));
        }
        started.push(leases);
        leases.addListener(new LeaseChangeLog(clock));

        ProfileAssignments assignments;
        try {
            assignments = ProfileAssignments.load(config.stateDir(), documents);
        } catch (IOException e) {
            throw new HostProblemsException(List.of(locator.at("state-dir", e.getMessage())));
        }
        started.push(assignments);
        UserDataRenderer renderer = new UserDataRenderer();
        VmHostnames hostnames = new VmHostnames(renderer);
        InventoryChangesFile changesFile = new InventoryChangesFile(config.stateDir(), documents);
        ApplianceConfig edited;
        try {
            InventoryChanges changes = changesFile.load();
            EditedConfig base = new EditedConfig(Files.readString(config.source(), StandardCharsets.UTF_8), config);
            edited = base.apply(changes);
            inventory = new LiveInventory(edited, leases, assignments, hostnames, renderer);
            edits = new InventoryEdits(base, changes, changesFile, inventory);
            // Metadata answers are built when a lease changes (and when the inventory does), not per request.
            leases.addListener(inventory.directory());
        } catch (IOException e) {
            throw new HostProblemsException(List.of(locator.at("state-dir", e.getMessage())));
        } catch (ConfigException e) {
            throw new HostProblemsException(List.of(locator.at("vms", "the VM records changed through the admin API ("
                    + changesFile.where() + ") no longer fit the config: " + e.problems())));
        }
        fleet = timeline.isPresent()
                ? FleetTracker.onDatabase(timeline.get(), fleetLabels(inventory, hostnames), clock)
                : new FleetTracker(config.stateDir(), fleetLabels(inventory, hostnames), clock);
        try {
            fleet.start();
        } catch (IOException e) {
            throw new HostProblemsException(List.of(timeline.isPresent()
                    ? locator.at("store.url", "cannot load the fleet timeline: " + e.getMessage())
                    : locator.at("state-dir", "cannot load the fleet journal: " + e.getMessage())));
        }
        started.push(fleet);
        metrics = new ApplianceMetrics(counters, leases, () -> ConfigTranslator.allPools(running.get()), fleet,
                commitLatency, clock);
        metrics.registerUnknownClients(refusals);
        metrics.registerLeaseStore((LeaseStoreHealth) store);
        leases.addListener(metrics);

        if (config.dns().enabled()) {
            startDns(hostnames);
        }

        offers = new PendingOffers(clock, config.dhcp().offerHold());
        // With the API's VM records, as on reload: whether it knows some client decides the default pool share.
        responder = new SwappableResponder(engineFor(inventory.config()));
        DhcpServer server = new DhcpServer(DhcpSocketSettings.forInterface(config.network().interfaceName()),
                responder, counters, clock);
        try {
            server.start();
        } catch (DhcpBindException e) {
            throw new HostProblemsException(List.of(bindProblem(e)));
        }
        started.push(server);

        startMetadata(inventory.directory());
        startAdmin();

        LeaseHousekeeping housekeeping = new LeaseHousekeeping(leases, offers, config.dhcp().compactEvery());
        housekeeping.start();
        started.push(housekeeping);
        if (clock instanceof ElapsedClock leaseTime) {
            ClockStepWatch steps = new ClockStepWatch(leaseTime, Clock.systemUTC());
            steps.start();
            started.push(steps);
            metrics.registerClockStepWatch(steps);
        }

        LOG.info("appliance ready interface={} address={}/{} pools={} relayed_subnets={} reservations={} vms={} "
                        + "profiles={} leases={} metadata=http://{}/ state_dir={} unknown_clients=\"{}\"",
                config.network().interfaceName(), config.network().address().getHostAddress(),
                config.network().prefixLength(), ConfigTranslator.pools(config), config.subnets().size(),
                config.allReservations().size(),
                config.vms().size(), config.profiles().size(), leases.size(),
                config.network().address().getHostAddress(), config.stateDir(),
                ConfigTranslator.unknownClientLimits(inventory.config()));
    }

    /**
     * The journal in the state directory, or the PostgreSQL store: on the pair's database when this appliance is the
     * active node of a pair (its writes fenced by the lock it holds), else on a database it opens itself.
     */
    private LeaseStore leaseStore(LeaseCommitLatency commitLatency) throws HostProblemsException {
        if (config.store().kind() == StoreConfig.Kind.JOURNAL) {
            return new LeaseJournal(config.stateDir(), commitLatency);
        }
        PostgresDatabase db;
        if (term.isPresent()) {
            db = term.get().database();
        } else {
            try {
                db = StoreDatabase.open(config.store().postgresql().orElseThrow());
            } catch (IOException e) {
                throw new HostProblemsException(List.of(locator.at("store.url", e.getMessage())));
            }
            started.push(db);
        }
        String writer = writerName();
        // A pair's nodes share their documents; a lone appliance on a database keeps its own under "default".
        String scope = config.ha().map(HaConfig::pair).orElse(HaConfig.DEFAULT_PAIR);
        documents = new DatabaseStateDocuments(new PgDocuments(db.dataSource(), db.settings().name(), scope, writer));
        timeline = Optional.of(new PgTimelineLines(db.dataSource(), db.settings().name(), scope));
        return new PgLeaseStore(db.dataSource(), db.settings().name(), term.map(ActiveTerm::fence), writer,
                commitLatency);
    }

    private String writerName() {
        return config.ha().map(HaConfig::node).orElse(NodeIdentity.hostName());
    }

    /** Before DHCP: the names are filled from the table while no lease can change. */
    private void startDns(VmHostnames hostnames) throws HostProblemsException {
        LabDns dns = new LabDns(config, inventory, hostnames, leases, clock);
        try {
            dns.start();
        } catch (IOException e) {
            throw new HostProblemsException(List.of(dnsBindProblem(e)));
        }
        started.push(dns);
        metrics.registerDns(dns.counters());
    }

    private ConfigProblem dnsBindProblem(IOException e) {
        String owner = new PortOwner(java.nio.file.Path.of("/proc")).ofUdpPort(LabDns.PORT)
                .map(o -> " (port 53 is held by " + o + (o.contains("dnsmasq") ? ": stop dnsmasq first)" : ")"))
                .orElse("");
        return locator.at("dns", e.getMessage() + owner);
    }

    private void startAdmin() throws HostProblemsException {
        AdminToken token;
        try {
            token = AdminToken.loadOrCreate(config.admin().tokenFile());
        } catch (IOException e) {
            throw new HostProblemsException(List.of(locator.at("admin.token-file",
                    "cannot read or create " + config.admin().tokenFile() + ": " + e)));
        }
        // What a VM should ask for, and how to launch it so that it does, follow from its profile's datasource.
        String address = config.network().address().getHostAddress();
        BootDiagnosis doctor = new BootDiagnosis(mac -> inventory.identify(mac).profile()
                .flatMap(DeviceProfile::datasource)
                .map(ds -> new BootDiagnosis.Expected(ConfigTranslator.flavour(ds), ds.key(), String.join(" ",
                        QemuLaunchArgs.options(GuestHints.of(ds, address, Optional.of(mac)))))));
        AdminServer admin = new AdminServer(config.admin().listen(),
                token, new AdminRoutes(leases, edits, fleet, doctor, this::reload, metrics::scrape, clock));
        try {
            admin.bind();
        } catch (IOException e) {
            throw new HostProblemsException(List.of(locator.at("admin.listen", e.getMessage())));
        }
        started.push(admin);
        metrics.registerHttp("admin", admin.refusals());
        LOG.info("admin API ready address={} token_file={}", admin.localAddress(), config.admin().tokenFile());
    }

    /**
     * Re-reads the config file and, if it is valid with the API's VM changes applied, makes its VM records,
     * reservations and profiles the ones answered, and (while the interface and address stay) its pools, DHCP
     * options, lease times, relayed subnets and unknown-client limits the ones served (the new engine counts the
     * strangers already holding addresses, and starts its rate buckets full); leases and connections are untouched.
     * The network's interface and address, offer hold, journal compaction, metadata and admin listeners, the password
     * server's VM passwords and the state directory are not reloaded: a change there is logged and needs a restart.
     * Returns every problem if the file is not valid.
     */
    public List<ConfigProblem> reload() {
        Path file = config.source();
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            ApplianceConfig fresh = ConfigFile.load(file.toString(), text).withStateDir(config.stateDir());
            ApplianceConfig applied = edits.rebase(new EditedConfig(text, fresh));
            List<String> restart = new ArrayList<>();
            NetworkConfig before = running.get().network();
            NetworkConfig after = applied.network();
            boolean sameSocket = after.interfaceName().equals(before.interfaceName())
                    && after.address().equals(before.address()) && after.prefixLength() == before.prefixLength();
            if (sameSocket) {
                // Pools, options, lease times and relayed subnets take effect for new requests; leases stay in the
                // table, also those in a subnet that was removed (they run out, they are not renewed).
                responder.swap(engineFor(applied));
                running.set(applied);
            } else {
                restart.add("network.interface/network.address");
            }
            if (!applied.dhcp().offerHold().equals(config.dhcp().offerHold())
                    || !applied.dhcp().compactEvery().equals(config.dhcp().compactEvery())) {
                restart.add("dhcp.offer-hold/dhcp.journal.compact-every");
            }
            if (!applied.metadata().equals(config.metadata())) {
                restart.add("metadata");
            }
            if (!applied.admin().equals(config.admin())) {
                restart.add("admin");
            }
            if (applied.dns().enabled() != config.dns().enabled() || (config.dns().enabled()
                    && !LabDns.settings(applied).equals(LabDns.settings(config)))) {
                restart.add("dns.enabled/dns.forwarders/dns.rate-limit");
            }
            LOG.info("config reloaded file={} relayed_subnets={} vms={} profiles={} unknown_clients=\"{}\"", file,
                    applied.subnets().size(), applied.vms().size(), applied.profiles().size(),
                    ConfigTranslator.unknownClientLimits(applied));
            if (!restart.isEmpty()) {
                LOG.warn("config reload left sections unchanged sections={} (restart to apply them)", restart);
            }
            return List.of();
        } catch (IOException e) {
            LOG.warn("config reload failed file={} error={}", file, e.toString());
            return List.of(new ConfigProblem(file.toString(), 0, 0, "(file)", "cannot be read: " + e));
        } catch (ConfigException e) {
            LOG.warn("config reload refused file={} problems={}; the running config stays", file, e.problems().size());
            e.problems().forEach(p -> LOG.warn("config problem {}", p));
            return e.problems();
        }
    }

    private void startMetadata(InstanceDirectory directory) throws HostProblemsException {
        // Both the fleet timeline and the metrics count every answered request.
        // The metrics also keep the latency the router measures.
        MetadataRequestListener requests = new MetadataRequestListener() {
            @Override
            public void served(Instance instance, Flavour flavour, String path, int status) {
                fleet.served(instance, flavour, path, status);
                metrics.served(instance, flavour, path, status);
            }

            @Override
            public void served(Instance instance, Flavour flavour, String path, int status, Duration took) {
                fleet.served(instance, flavour, path, status);
                metrics.served(instance, flavour, path, status, took);
            }
        };
        List<InetSocketAddress> listen = new ArrayList<>();
        listen.add(new InetSocketAddress(config.network().address(), METADATA_PORT));
        if (config.metadata().linkLocal()) {
            LinkLocalAddress linkLocal = new LinkLocalAddress(config.network().interfaceName());
            try {
                linkLocal.add();
            } catch (IOException e) {
                throw new HostProblemsException(List.of(locator.at("metadata.link-local", e.getMessage())));
            }
            started.push(linkLocal);
            listen.add(new InetSocketAddress(ConfigTranslator.METADATA_ADDRESS, METADATA_PORT));
        }
        // One check for every service a VM asks by its address, so the metric counts every refused spoof.
        CallerMacCheck macCheck = new CallerMacCheck();
        NeighbourTable neighbours = new KernelNeighbourTable();
        metrics.registerCallerMacCheck(macCheck);
        MetadataServer metadata = new MetadataServer(listen, directory, requests, fleet, clock, MetadataServer.LIMITS,
                neighbours, macCheck);
        try {
            metadata.bind();
        } catch (IOException e) {
            throw new HostProblemsException(List.of(locator.at("network.address", e.getMessage())));
        }
        started.push(metadata);
        metrics.registerHttp("metadata", metadata.refusals());
        if (config.metadata().passwordServer()) {
            FilePasswordLedger ledger;
            try {
                ledger = FilePasswordLedger.load(config.stateDir(), new PasswordDigests(config.vms()), documents);
            } catch (IOException e) {
                throw new HostProblemsException(List.of(locator.at("state-dir", e.getMessage())));
            }
            started.push(ledger);
            PasswordServer passwords = new PasswordServer(
                    List.of(new InetSocketAddress(config.network().address(), PASSWORD_PORT)), directory, ledger,
                    requests, PasswordServer.LIMITS, neighbours, macCheck);
            try {
                passwords.bind();
            } catch (IOException e) {
                throw new HostProblemsException(List.of(locator.at("metadata.password-server", e.getMessage())));
            }
            started.push(passwords);
            metrics.registerHttp("password", passwords.refusals());
        }
    }

    /**
     * The fleet's labels: a pure read of the inventory. The DHCP engine gives a new MAC its profile (vendor class in
     * hand) just before it tells the fleet of the message, so even the first DISCOVER is labelled with the decided
     * profile; a MAC not decided yet is labelled "" (unknown), which never erases a known label.
     */
    static Function<String, FleetTracker.Label> fleetLabels(LiveInventory inventory, VmHostnames hostnames) {
        return mac -> {
            VmIdentity vm = inventory.identify(mac);
            return new FleetTracker.Label(hostnames.configured(vm).orElse(""), vm.profileName());
        };
    }

    /** Every VM's boot timeline, once started. */
    public FleetView fleet() {
        return fleet;
    }

    /**
     * A DHCP engine for {@code cfg}, relayed subnets and unknown-client limits included, on the one lease table, set
     * of pending offers and refusal counters.
     */
    private DhcpEngine engineFor(ApplianceConfig cfg) {
        return new DhcpEngine(ConfigTranslator.dhcpSettings(cfg), ConfigTranslator.pools(cfg),
                ConfigTranslator.relayedSubnets(cfg), leases, offers, inventory,
                ConfigTranslator.unknownClientLimits(cfg), refusals, fleet, clock);
    }

    /** The lease table, once started. */
    public LeaseTable leases() {
        return leases;
    }

    private ConfigProblem bindProblem(DhcpBindException e) {
        if (e.addressInUse()) {
            String owner = new PortOwner(java.nio.file.Path.of("/proc")).ofUdpPort(DhcpSocketSettings.SERVER_PORT)
                    .map(o -> " by " + o).orElse("");
            String hint = owner.contains("dnsmasq") ? ": stop dnsmasq first" : ": stop the other DHCP server first";
            return locator.at("network.interface", "UDP port 67 on " + config.network().interfaceName()
                    + " is already in use" + owner + hint);
        }
        return locator.at("network.interface", "cannot open the DHCP socket on " + config.network().interfaceName()
                + ": " + e.getMessage());
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
        LOG.info("appliance stopped");
    }
}
