package lab.metadata.http;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import lab.metadata.BootReport;
import lab.metadata.BootReportListener;
import lab.metadata.Flavour;
import lab.metadata.Instance;
import lab.metadata.InstanceDirectory;
import lab.metadata.MetadataRequestListener;
import lab.metadata.MetadataTree;
import lab.metadata.ServedInstance;
import lab.metadata.ec2.Imdsv2Tokens;
import lab.metadata.link.CallerMacCheck;

/**
 * The one place that maps a metadata request to its answer and status.
 *
 * <p>Steps: find the caller's instance, its trees already built, by TCP peer address (none → 404 "no lease for
 * &lt;ip&gt;", so a caller never sees another VM's data); refuse with 403 a caller on the link whose MAC is not the
 * lease's (another host took the VM's address: {@link CallerMacCheck}); pick the flavour by path ({@code /openstack…},
 * {@code /nocloud/…}, else the EC2 tree); for the EC2 tree handle the IMDSv2 token PUT and check tokens; look the rest
 * of the path up in the instance's table; tell the listener.
 *
 * <p>Boot reports are POSTed to the same port: {@code /phone-home} or {@code /phone-home/<anything>} (cloud-init
 * substitutes the instance id into its URL) with the phone_home form, and {@code /cloud-init/events} with one
 * reporting-webhook JSON event. They are attributed to the caller like every request, handed to the
 * {@link BootReportListener} and answered 200; an unreadable body is answered 400 and reported to nobody.
 *
 * <p>EC2 or CloudStack: both use {@code /latest/meta-data/…}. A request under a dated version, or one that arrived at
 * the link-local {@code 169.254.169.254} (where cloud-init's Ec2 and OpenStack datasources always go), counts as EC2;
 * a {@code /latest/} request to any other local address counts as CloudStack, whose datasource talks to the DHCP
 * server identifier or the gateway. A heuristic: an Ec2 datasource configured with the appliance address in
 * {@code metadata_urls} is reported as CloudStack. Both get the same combined tree, so only the timeline label
 * differs.
 */
public final class MetadataRouter {

    /** The address EC2 and OpenStack clients always ask. */
    public static final String LINK_LOCAL_METADATA = "169.254.169.254";
    private static final String TOKEN_PATH = "/latest/api/token";
    private static final String PHONE_HOME_PATH = "/phone-home";
    private static final String EVENTS_PATH = "/cloud-init/events";

    private final InstanceDirectory directory;
    private final Imdsv2Tokens tokens;
    private final MetadataRequestListener listener;
    private final BootReportListener reports;
    private final BootReportReader reader = new BootReportReader();
    private final CallerMacCheck macCheck;

    public MetadataRouter(InstanceDirectory directory, Imdsv2Tokens tokens, MetadataRequestListener listener,
                          BootReportListener reports) {
        this(directory, tokens, listener, reports, new CallerMacCheck());
    }

    public MetadataRouter(InstanceDirectory directory, Imdsv2Tokens tokens, MetadataRequestListener listener,
                          BootReportListener reports, CallerMacCheck macCheck) {
        this.macCheck = Objects.requireNonNull(macCheck, "macCheck");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    public MetadataAnswer route(MetadataRequest request) {
        long started = System.nanoTime();
        Optional<ServedInstance> found = directory.byAddress(request.caller());
        if (found.isEmpty()) {
            return MetadataAnswer.text(404, "no lease for " + request.caller().getHostAddress());
        }
        ServedInstance served = found.get();
        Instance instance = served.instance();
        if (!macCheck.admits("metadata", request.caller(), instance.mac(), request.callerMac())) {
            return MetadataAnswer.text(403, "forbidden: this address is leased to another MAC");
        }
        if (isBootReport(request.path())) {
            return bootReport(request, instance);
        }
        Flavour flavour = flavourOf(request);
        MetadataAnswer answer = answer(request, served, flavour).about(instance, flavour);
        // Monotonic nanoTime: a measured duration, unaffected by clock steps (and not the token Clock's business).
        listener.served(instance, flavour, request.path(), answer.status(),
            Duration.ofNanos(System.nanoTime() - started));
        return answer;
    }

    private MetadataAnswer answer(MetadataRequest request, ServedInstance served, Flavour flavour) {
        String path = request.path();
        if (path.equals(TOKEN_PATH)) {
            return issueToken(request);
        }
        if (!request.method().equals("GET")) {
            return MetadataAnswer.text(405, "method not allowed: " + request.method()).allowing("GET");
        }
        return switch (flavour) {
            case OPENSTACK -> found(served.openStack().lookup(path.substring("/openstack".length())));
            case NOCLOUD -> found(served.noCloud().lookup(path.substring("/nocloud".length())));
            case EC2, CLOUDSTACK -> ec2(request, served);
        };
    }

    private MetadataAnswer ec2(MetadataRequest request, ServedInstance served) {
        Optional<String> token = request.token();
        if (token.isPresent() && !tokens.isValid(token.get(), request.caller())) {
            return MetadataAnswer.text(401, "invalid or expired token");
        }
        if (token.isEmpty() && served.instance().imdsTokenRequired()) {
            return MetadataAnswer.text(401, "token required");
        }
        return found(served.ec2().lookup(request.path()));
    }

    private MetadataAnswer issueToken(MetadataRequest request) {
        if (!request.method().equals("PUT")) {
            return MetadataAnswer.text(405, "method not allowed: " + request.method()).allowing("PUT");
        }
        if (request.forwarded()) {
            // As AWS: a token PUT relayed by a proxy (inside the VM, or a container host) gets no token.
            return MetadataAnswer.text(403, "forbidden: token requests must not carry X-Forwarded-For");
        }
        Optional<Duration> ttl = request.tokenTtl().flatMap(Imdsv2Tokens::parseTtl);
        if (ttl.isEmpty()) {
            return MetadataAnswer.text(400, Imdsv2Tokens.TTL_HEADER + " must be 1.." + Imdsv2Tokens.MAX_TTL_SECONDS);
        }
        return tokens.issue(request.caller(), ttl.get())
            .map(token -> MetadataAnswer.text(200, token).withHopLimit())
            .orElseGet(() -> MetadataAnswer.text(503, "too many live tokens"));
    }

    private static boolean isBootReport(String path) {
        return path.equals(PHONE_HOME_PATH) || path.startsWith(PHONE_HOME_PATH + "/") || path.equals(EVENTS_PATH);
    }

    private MetadataAnswer bootReport(MetadataRequest request, Instance instance) {
        if (!request.method().equals("POST")) {
            return MetadataAnswer.text(405, "method not allowed: " + request.method()).allowing("POST");
        }
        BootReport report;
        try {
            report = request.path().equals(EVENTS_PATH)
                ? reader.event(request.body())
                : reader.phoneHome(request.body());
        } catch (UnreadableReportException e) {
            return MetadataAnswer.text(400, "bad request: " + e.getMessage());
        }
        reports.bootReport(instance, report);
        return MetadataAnswer.text(200, "ok");
    }

    private static MetadataAnswer found(Optional<MetadataTree.Entry> entry) {
        return entry.map(e -> new MetadataAnswer(200, e.body(), Optional.empty(), Optional.empty(), Optional.empty()))
            .orElseGet(() -> MetadataAnswer.text(404, "not found"));
    }

    static Flavour flavourOf(MetadataRequest request) {
        String path = request.path();
        if (path.equals("/openstack") || path.startsWith("/openstack/")) {
            return Flavour.OPENSTACK;
        }
        if (path.equals("/nocloud") || path.startsWith("/nocloud/")) {
            return Flavour.NOCLOUD;
        }
        boolean latest = path.equals("/latest") || path.startsWith("/latest/");
        return latest && !isLinkLocalMetadata(request.local()) ? Flavour.CLOUDSTACK : Flavour.EC2;
    }

    private static boolean isLinkLocalMetadata(InetAddress local) {
        return local.getHostAddress().equals(LINK_LOCAL_METADATA);
    }
}
