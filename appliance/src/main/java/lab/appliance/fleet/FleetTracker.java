package lab.appliance.fleet;

import static org.dhcp4java.DHCPConstants.DHCPACK;
import static org.dhcp4java.DHCPConstants.DHCPDECLINE;
import static org.dhcp4java.DHCPConstants.DHCPDISCOVER;
import static org.dhcp4java.DHCPConstants.DHCPNAK;
import static org.dhcp4java.DHCPConstants.DHCPOFFER;
import static org.dhcp4java.DHCPConstants.DHCPRELEASE;
import static org.dhcp4java.DHCPConstants.DHCPREQUEST;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Path;
import lab.pgstore.PgTimelineLines;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import lab.dhcp.MacAddress;
import lab.dhcp.codec.ThrottledLog;
import lab.dhcp.engine.DhcpEventListener;
import lab.metadata.BootReport;
import lab.metadata.BootReportListener;
import lab.metadata.Flavour;
import lab.metadata.Instance;
import lab.metadata.MetadataRequestListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The per-VM boot timeline: hears DHCP exchanges, metadata requests and boot reports, keeps one history per MAC
 * (the last {@value #KEPT_BOOTS} boots, at most {@value #EVENTS_PER_BOOT} events each, oldest dropped) and journals
 * every recorded event but OFFERs and REQUESTs to {@code fleet.journal} so the timeline survives a restart.
 *
 * <p>A new boot starts when a VM DISCOVERs, or REQUESTs in INIT-REBOOT state (a rebooted client keeping its
 * address), after its current boot finished or failed. Only the first metadata request
 * and the first user-data fetch of a boot are recorded (a crawl is ~40 requests), plus failed requests (status 400
 * or more) for the first {@value #FAILED_PATHS_PER_BOOT} distinct paths, which is what a diagnosis needs. Of the
 * reporting webhook's ~60 events per boot only the latest is kept (it replaces the one before), and every FAIL.
 * DHCP messages are only queued on the packet path and applied in batches on a thread of the timeline's own (every
 * read applies the queue first); metadata and report callbacks update memory under a short lock. Journal lines
 * are queued and written elsewhere.
 */
public final class FleetTracker implements FleetView, DhcpEventListener, MetadataRequestListener, BootReportListener,
    AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetTracker.class);
    /** Recorded once per boot: a crawl is ~40 requests, a re-crawl or second fetch adds nothing. */
    private static final Set<BootEvent.Kind> ONCE_PER_BOOT = EnumSet.of(BootEvent.Kind.METADATA,
        BootEvent.Kind.USER_DATA);
    static final int KEPT_BOOTS = 5;
    static final int EVENTS_PER_BOOT = 200;
    static final int FAILED_PATHS_PER_BOOT = 10;
    /**
     * Shown while the appliance runs but not journaled: they come within milliseconds between a DISCOVER and its
     * ACK, change no phase, and were half of all journal lines (and of its compactions) under a DHCP flood.
     */
    private static final Set<BootEvent.Kind> MEMORY_ONLY = EnumSet.of(BootEvent.Kind.OFFER, BootEvent.Kind.REQUEST);
    /** DHCP messages waiting to be applied: a few seconds of a flood at full speed. */
    static final int HEARD_LIMIT = 65_536;
    static final long APPLY_EVERY_MILLIS = 100;

    /** A VM's name and device profile as the inventory knows them, "" for unknown. */
    public record Label(String hostname, String profile) {
        public static final Label UNKNOWN = new Label("", "");

        public Label {
            Objects.requireNonNull(hostname, "hostname");
            Objects.requireNonNull(profile, "profile");
        }
    }

    /** A DHCP message as the packet path heard it, or (restart) a client's INIT-REBOOT just before its REQUEST. */
    private record Heard(MacAddress mac, byte messageType, boolean sent, Optional<Inet4Address> address, Instant at,
                         boolean restart) {
    }

    private final Function<String, Label> labels;
    private final Clock clock;
    private final FleetStore journal;
    private final ArrayBlockingQueue<Heard> heard = new ArrayBlockingQueue<>(HEARD_LIMIT);
    private final LongAdder dropped = new LongAdder();
    private final ThrottledLog dropLog;
    private final ScheduledExecutorService applier = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fleet-timeline");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, VmHistory> vms = new LinkedHashMap<>();
    /** MACs whose next REQUEST is an INIT-REBOOT one (told just before it, on the same thread). */
    private final Set<String> restarting = new HashSet<>();
    private long sequence;

    /**
     * @param stateDir where {@code fleet.journal} lives
     * @param labels   MAC (lowercase colon form) → hostname and profile from the inventory
     */
    public FleetTracker(Path stateDir, Function<String, Label> labels, Clock clock) {
        this(new FleetJournal(stateDir), labels, clock);
    }

    /** A tracker whose timeline is the pair's, in the shared database, so a new active starts from it. */
    public static FleetTracker onDatabase(PgTimelineLines timeline, Function<String, Label> labels, Clock clock) {
        return new FleetTracker(new DatabaseFleetStore(timeline), labels, clock);
    }

    private FleetTracker(FleetStore journal, Function<String, Label> labels, Clock clock) {
        this.journal = journal;
        this.labels = Objects.requireNonNull(labels, "labels");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.dropLog = new ThrottledLog(LOG, Level.WARN, clock, Duration.ofSeconds(10));
    }

    /** Replays {@code fleet.journal}, starts its writer and the thread that applies queued DHCP messages. */
    public void start() throws IOException {
        List<FleetRecord> records = journal.replay();
        synchronized (this) {
            records.forEach(this::apply);
        }
        journal.open(this::snapshot);
        applier.scheduleWithFixedDelay(this::applyHeardQuietly, APPLY_EVERY_MILLIS, APPLY_EVERY_MILLIS,
            TimeUnit.MILLISECONDS);
    }

    /** Applies what is queued, then writes the journal and closes it. */
    @Override
    public void close() throws IOException {
        applier.shutdown();
        try {
            applier.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            applyHeard();
        }
        journal.close();
    }

    private void applyHeardQuietly() {
        try {
            synchronized (this) {
                applyHeard();
            }
        } catch (RuntimeException e) {
            // The timeline must outlive a bad label lookup: the next round goes on with the next messages.
            LOG.warn("boot timeline could not apply DHCP messages", e);
        }
    }

    /**
     * Queued, not recorded: this is called for every DHCP message on the packet path, so it only notes what was
     * heard and when. The timeline thread applies the queue every {@value #APPLY_EVERY_MILLIS} ms, and every read
     * applies it first, so readers never see the queue. A full queue (a flood the timeline cannot keep up with)
     * drops the message from the timeline, counted; the DHCP exchange itself is not affected.
     */
    @Override
    public void dhcpEvent(MacAddress mac, byte messageType, boolean sent, Optional<Inet4Address> address) {
        switch (messageType) {
            case DHCPDISCOVER, DHCPOFFER, DHCPREQUEST, DHCPACK, DHCPNAK, DHCPDECLINE, DHCPRELEASE -> hear(
                new Heard(mac, messageType, sent, address, clock.instant(), false));
            default -> { }
        }
    }

    @Override
    public void clientRestarted(MacAddress mac) {
        hear(new Heard(mac, (byte) 0, false, Optional.empty(), clock.instant(), true));
    }

    /** DHCP messages dropped from the timeline because its queue was full. */
    public long droppedDhcpEvents() {
        return dropped.sum();
    }

    private void hear(Heard event) {
        if (!heard.offer(event)) {
            dropped.increment();
            dropLog.log("boot timeline queue full, DHCP message not recorded mac={} queued={}", event.mac(),
                HEARD_LIMIT);
        }
    }

    /** Applies what the packet path queued; the caller holds the lock. */
    private void applyHeard() {
        List<Heard> batch = new ArrayList<>();
        heard.drainTo(batch);
        for (Heard event : batch) {
            String key = event.mac().toString().toLowerCase(Locale.ROOT);
            if (event.restart()) {
                restarting.add(key);
                continue;
            }
            String ip = event.address().map(Inet4Address::getHostAddress).orElse("");
            BootEvent.Kind kind;
            String newIp = null;
            switch (event.messageType()) {
                case DHCPDISCOVER -> kind = BootEvent.Kind.DISCOVER;
                case DHCPOFFER -> kind = BootEvent.Kind.OFFER;
                case DHCPREQUEST -> kind = BootEvent.Kind.REQUEST;
                case DHCPACK -> {
                    kind = BootEvent.Kind.ACK;
                    newIp = ip.isEmpty() ? null : ip; // an ACK to INFORM carries no address
                }
                case DHCPNAK -> {
                    kind = BootEvent.Kind.NAK;
                    newIp = "";
                }
                case DHCPDECLINE -> {
                    kind = BootEvent.Kind.DECLINE;
                    newIp = "";
                }
                default -> {
                    kind = BootEvent.Kind.RELEASE;
                    newIp = "";
                }
            }
            // Only a DISCOVER or REQUEST can come with a newly decided identity (the engine decides it there): the
            // other messages of an exchange keep the label they have, and an unknown one never erases it.
            Label label = kind == BootEvent.Kind.DISCOVER || kind == BootEvent.Kind.REQUEST
                ? labels.apply(key) : Label.UNKNOWN;
            recordLocked(key, kind, ip, newIp, label.hostname(), label.profile(), event.at());
        }
    }

    @Override
    public void served(Instance instance, Flavour flavour, String path, int status) {
        Optional<BootEvent.Kind> kind;
        String detail = flavour.name().toLowerCase(Locale.ROOT);
        if (status >= 400) {
            kind = Optional.of(BootEvent.Kind.METADATA_ERROR);
            detail = detail + " " + status + " " + path;
        } else if (flavour == Flavour.CLOUDSTACK && path.equals("send_my_password")) {
            kind = Optional.of(BootEvent.Kind.PASSWORD_FETCHED);
        } else if (flavour == Flavour.CLOUDSTACK && path.equals("saved_password")) {
            kind = Optional.of(BootEvent.Kind.PASSWORD_SAVED);
        } else if (status == 200 && (path.endsWith("user-data") || path.endsWith("user_data"))) {
            kind = Optional.of(BootEvent.Kind.USER_DATA);
        } else {
            kind = Optional.of(BootEvent.Kind.METADATA);
        }
        String recorded = detail;
        kind.ifPresent(k -> record(instance.mac(), k, recorded, instance.address().getHostAddress(),
            instance.hostname(), instance.profile()));
    }

    @Override
    public void bootReport(Instance instance, BootReport report) {
        BootEvent.Kind kind;
        String detail;
        if (report.kind() == BootReport.Kind.PHONE_HOME) {
            kind = BootEvent.Kind.PHONE_HOME;
            detail = report.fields().getOrDefault("instance_id", "");
        } else if (report.endsBoot()) {
            String result = report.result().orElse("");
            kind = result.equals("FAIL") ? BootEvent.Kind.FAILED : BootEvent.Kind.FINISHED;
            detail = report.name() + " " + result;
        } else {
            // A boot posts ~60 stage and module events: the boot keeps the latest (where a stuck one stopped).
            kind = BootEvent.Kind.REPORT;
            detail = report.name() + " " + report.eventType() + report.result().map(r -> " " + r).orElse("");
        }
        record(instance.mac(), kind, detail, instance.address().getHostAddress(), instance.hostname(),
            instance.profile());
    }

    private synchronized void record(String mac, BootEvent.Kind kind, String detail, String ip, String hostname,
                                     String profile) {
        // DHCP messages heard before this one come first, so a VM's events stay in the order they happened.
        applyHeard();
        recordLocked(mac.toLowerCase(Locale.ROOT), kind, detail, ip, hostname, profile, clock.instant());
    }

    /** Records one event and queues its journal line; the caller holds the lock. */
    private void recordLocked(String key, BootEvent.Kind kind, String detail, String ip, String hostname,
                              String profile, Instant at) {
        VmHistory vm = vms.get(key);
        int boot = vm == null ? 1 : vm.current().number;
        boolean restarted = kind == BootEvent.Kind.REQUEST && restarting.remove(key);
        if (vm != null && (kind == BootEvent.Kind.DISCOVER || restarted) && vm.current().ended()) {
            boot++;
        }
        if (vm != null && boot == vm.current().number && !vm.current().admits(kind, detail)) {
            return;
        }
        BootPhase before = vm == null || boot != vm.current().number ? BootPhase.NO_LEASE : vm.current().phase;
        FleetRecord record = new FleetRecord(key, boot, at, kind, detail, ip,
            changed(vm == null ? "" : vm.hostname, hostname), changed(vm == null ? "" : vm.profile, profile));
        apply(record);
        BootPhase after = vms.get(key).current().phase;
        if (after != before && (after == BootPhase.FINISHED || after == BootPhase.FAILED)) {
            LOG.info("vm boot {} mac={} boot={} hostname={} detail={}", after.label(), key, boot,
                vms.get(key).hostname, detail);
        }
        ++sequence;
        if (!MEMORY_ONLY.contains(kind)) {
            journal.append(record, sequence);
        }
    }

    /** The path of a METADATA_ERROR detail ("flavour status path"). */
    static String failedPath(String detail) {
        int flavourEnd = detail.indexOf(' ');
        int statusEnd = flavourEnd < 0 ? -1 : detail.indexOf(' ', flavourEnd + 1);
        return statusEnd < 0 ? detail : detail.substring(statusEnd + 1);
    }

    /** Null (unchanged) unless a new non-empty value: an unknown name never erases a known one. */
    private static String changed(String known, String seen) {
        return seen.isEmpty() || seen.equals(known) ? null : seen;
    }

    /** Applies one record to memory; the caller holds the lock. */
    private void apply(FleetRecord record) {
        VmHistory vm = vms.computeIfAbsent(record.mac(), mac -> new VmHistory());
        if (vm.boots.isEmpty() || record.boot() > vm.current().number) {
            vm.boots.addLast(new Boot(record.boot()));
            while (vm.boots.size() > KEPT_BOOTS) {
                vm.boots.removeFirst();
            }
        }
        vm.current().add(record.event());
        if (record.ip() != null) {
            vm.ip = record.ip();
        }
        if (record.hostname() != null) {
            vm.hostname = record.hostname();
        }
        if (record.profile() != null) {
            vm.profile = record.profile();
        }
    }

    /** Everything live, as records that rebuild it; taken by the journal's writer when compacting. */
    private synchronized FleetStore.Snapshot snapshot() {
        applyHeard();
        List<FleetRecord> records = new ArrayList<>();
        vms.forEach((mac, vm) -> {
            boolean first = true;
            for (Boot boot : vm.boots) {
                for (BootEvent event : boot.events) {
                    if (MEMORY_ONLY.contains(event.kind())) {
                        continue;
                    }
                    records.add(new FleetRecord(mac, boot.number, event.at(), event.kind(),
                        event.detail(), first ? vm.ip : null, first ? vm.hostname : null, first ? vm.profile : null));
                    first = false;
                }
            }
        });
        return new FleetStore.Snapshot(records, sequence);
    }

    @Override
    public synchronized List<VmTimeline> all() {
        applyHeard();
        return vms.entrySet().stream().map(e -> e.getValue().timeline(e.getKey())).toList();
    }

    @Override
    public synchronized Optional<VmTimeline> of(String mac) {
        applyHeard();
        String key = mac.toLowerCase(Locale.ROOT);
        return Optional.ofNullable(vms.get(key)).map(vm -> vm.timeline(key));
    }

    /** One VM's mutable history; guarded by the tracker's lock. */
    private static final class VmHistory {
        final Deque<Boot> boots = new ArrayDeque<>();
        String ip = "";
        String hostname = "";
        String profile = "";

        Boot current() {
            return boots.getLast();
        }

        VmTimeline timeline(String mac) {
            return new VmTimeline(mac, ip.isEmpty() ? Optional.empty() : Optional.of(ip), hostname, profile,
                boots.stream().map(Boot::view).toList());
        }
    }

    /** One boot's mutable events; guarded by the tracker's lock. */
    private static final class Boot {
        final int number;
        final Deque<BootEvent> events = new ArrayDeque<>();
        /** Kinds seen in this boot, trimmed ones included: the per-request check must not scan the events. */
        final Set<BootEvent.Kind> seen = EnumSet.noneOf(BootEvent.Kind.class);
        final Set<String> failedPaths = new HashSet<>();
        BootPhase phase = BootPhase.NO_LEASE;
        Instant started;
        BootEvent latestReport;

        Boot(int number) {
            this.number = number;
        }

        void add(BootEvent event) {
            if (started == null) {
                started = event.at();
            }
            if (event.kind() == BootEvent.Kind.REPORT && !event.detail().endsWith(" FAIL")) {
                if (latestReport != null) {
                    events.removeLastOccurrence(latestReport); // near the tail: a short scan
                }
                latestReport = event;
            }
            events.addLast(event);
            if (events.size() > EVENTS_PER_BOOT) {
                events.removeFirst();
            }
            seen.add(event.kind());
            if (event.kind() == BootEvent.Kind.METADATA_ERROR) {
                failedPaths.add(failedPath(event.detail()));
            }
            phase = BootProgress.next(phase, event.kind());
        }

        /** Whether a new event of this kind is worth recording in this boot. */
        boolean admits(BootEvent.Kind kind, String detail) {
            if (ONCE_PER_BOOT.contains(kind)) {
                return !seen.contains(kind);
            }
            if (kind == BootEvent.Kind.METADATA_ERROR) {
                return failedPaths.size() < FAILED_PATHS_PER_BOOT && !failedPaths.contains(failedPath(detail));
            }
            return true;
        }

        boolean ended() {
            return phase == BootPhase.FINISHED || phase == BootPhase.FAILED;
        }

        VmBoot view() {
            return new VmBoot(number, started,
                List.copyOf(events), phase);
        }
    }
}
