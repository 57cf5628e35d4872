package lab.appliance.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import lab.appliance.fleet.BootDiagnosis;
import lab.appliance.fleet.FleetView;
import lab.appliance.inventory.InventoryEdits;
import lab.config.ConfigProblem;
import lab.dhcp.Ipv4;
import lab.dhcp.MacAddress;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseState;
import lab.dhcp.lease.LeaseTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's routes, free of HTTP plumbing: method, path and body in, {@link AdminResponse} out. Every refusal
 * is an {@link ApiException} turned into an {@link ErrorBody} here, the one place that maps outcomes to status.
 * Calls may block (a journal force, a config load): the handler runs them off the event loop.
 */
public final class AdminRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
    private static final String VMS = "/api/v1/vms";
    private static final String LEASES = "/api/v1/leases";
    private static final String FLEET = "/api/v1/fleet";
    private static final long COMMIT_TIMEOUT_SECONDS = 10;

    private final ObjectMapper json = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final LeaseTable leases;
    private final InventoryEdits inventory;
    private final FleetView fleet;
    private final BootDiagnosis doctor;
    private final ConfigReload reload;
    private final Supplier<String> metrics;
    private final Clock clock;

    public AdminRoutes(LeaseTable leases, InventoryEdits inventory, FleetView fleet, BootDiagnosis doctor,
                       ConfigReload reload, Supplier<String> metrics, Clock clock) {
        this.leases = Objects.requireNonNull(leases, "leases");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.doctor = Objects.requireNonNull(doctor, "doctor");
        this.reload = Objects.requireNonNull(reload, "reload");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Answers one authenticated request. */
    public AdminResponse answer(String method, String path, byte[] body) {
        try {
            return route(method, path, body);
        } catch (ApiException e) {
            return error(e.body());
        } catch (RuntimeException e) {
            LOG.error("admin request failed method={} path={}", method, path, e);
            return error(ErrorBody.of(500, "internal error: " + e));
        }
    }

    private AdminResponse route(String method, String path, byte[] body) throws ApiException {
        if (path.equals("/metrics")) {
            allow(method, "GET");
            return new AdminResponse(200, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.get().getBytes(StandardCharsets.UTF_8));
        }
        if (path.equals(VMS)) {
            allow(method, "GET");
            return ok(inventory.vms().stream().map(JsonViews::vm).toList());
        }
        if (path.startsWith(VMS + "/")) {
            String mac = mac(path.substring(VMS.length() + 1));
            switch (method) {
                case "GET":
                    return ok(JsonViews.vm(inventory.vms().stream().filter(vm -> vm.mac().equals(mac)).findFirst()
                            .orElseThrow(() -> new ApiException(404, "no VM record for " + mac))));
                case "PUT":
                    return putVm(mac, body);
                case "DELETE":
                    return deleteVm(mac);
                default:
                    throw notAllowed(method, "GET, PUT, DELETE");
            }
        }
        if (path.equals("/api/v1/profiles")) {
            allow(method, "GET");
            return ok(inventory.config().profiles().stream().map(JsonViews::profile).toList());
        }
        if (path.equals(LEASES)) {
            allow(method, "GET");
            return ok(leases.all().stream()
                    .sorted((a, b) -> Integer.compareUnsigned(Ipv4.toInt(a.ip()), Ipv4.toInt(b.ip())))
                    .map(JsonViews::lease).toList());
        }
        if (path.startsWith(LEASES + "/")) {
            allow(method, "DELETE");
            return revoke(path.substring(LEASES.length() + 1));
        }
        if (path.equals(FLEET)) {
            allow(method, "GET");
            return ok(JsonViews.fleet(fleet.all(), doctor, clock.instant()));
        }
        if (path.startsWith(FLEET + "/")) {
            allow(method, "GET");
            String mac = mac(path.substring(FLEET.length() + 1));
            return ok(JsonViews.timeline(fleet.of(mac)
                    .orElseThrow(() -> new ApiException(404, "the appliance has not seen " + mac)), doctor,
                    clock.instant()));
        }
        if (path.equals("/api/v1/reload")) {
            allow(method, "POST");
            return reload();
        }
        throw new ApiException(404, "no such resource: " + path);
    }

    private AdminResponse putVm(String mac, byte[] body) throws ApiException {
        Map<String, Object> record = record(body);
        Object given = record.get("mac");
        if (given == null) {
            record.put("mac", mac);
        } else if (!(given instanceof String text) || !mac.equals(normalised(text))) {
            throw new ApiException(new ErrorBody(400, "the record's mac does not match the URL",
                    List.of(new ErrorBody.FieldProblem("mac", given + " is not " + mac
                            + " (expected the MAC of the URL, or no mac)"))));
        }
        boolean existed = inventory.vms().stream().anyMatch(vm -> vm.mac().equals(mac));
        try {
            var stored = inventory.put(mac, record);
            return json(existed ? 200 : 201, JsonViews.vm(stored));
        } catch (InventoryEdits.RejectedEditException e) {
            throw rejected("VM record " + mac + " is not valid", e.problems());
        } catch (IOException e) {
            // A full or read-only state dir: refused, nothing changed; the caller is told, the log says it once.
            LOG.warn("vm record not saved mac={} cause=\"{}\"", mac, e.toString());
            throw new ApiException(500, "cannot save the change: " + e.getMessage());
        }
    }

    private AdminResponse deleteVm(String mac) throws ApiException {
        try {
            if (!inventory.remove(mac)) {
                throw new ApiException(404, "no VM record for " + mac);
            }
            return new AdminResponse(204, AdminResponse.JSON, new byte[0]);
        } catch (InventoryEdits.RejectedEditException e) {
            throw rejected("removing " + mac + " leaves an invalid config", e.problems());
        } catch (IOException e) {
            LOG.warn("vm record removal not saved mac={} cause=\"{}\"", mac, e.toString());
            throw new ApiException(500, "cannot save the change: " + e.getMessage());
        }
    }

    private Map<String, Object> record(byte[] body) throws ApiException {
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new ApiException(400, "unreadable body: " + e.getMessage());
        }
        if (!(tree instanceof ObjectNode)) {
            throw new ApiException(400, "expected a JSON object with the keys of a vms item, got "
                    + (tree == null || tree.isMissingNode() ? "an empty body" : tree.getNodeType().toString().toLowerCase()));
        }
        return new LinkedHashMap<>(json.convertValue(tree, new TypeReference<Map<String, Object>>() { }));
    }

    private AdminResponse revoke(String text) throws ApiException {
        Inet4Address ip = ipv4(text);
        Lease lease = leases.byIp(ip).orElseThrow(() -> new ApiException(404, "no lease for " + text));
        if (lease.state() != LeaseState.ACTIVE) {
            throw new ApiException(409, "the lease of " + text + " is already " + lease.state().name().toLowerCase());
        }
        Instant now = clock.instant();
        try {
            Lease revoked = leases.commit(lease.withState(LeaseState.RELEASED, now, now))
                    .get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("lease revoked ip={} mac={}", text, lease.mac());
            return ok(JsonViews.lease(revoked));
        } catch (ExecutionException | TimeoutException e) {
            // The lease store logged its own failure (once per outage); this says what it cost.
            LOG.warn("lease revoke not committed ip={} cause=\"{}\"", text, e.toString());
            throw new ApiException(500, "cannot commit the revocation of " + text + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while revoking " + text);
        }
    }

    private AdminResponse reload() throws ApiException {
        List<ConfigProblem> problems = reload.reload();
        if (!problems.isEmpty()) {
            throw new ApiException(new ErrorBody(400, "the config has " + problems.size()
                    + " problem(s); the running config stays",
                    problems.stream().map(p -> new ErrorBody.FieldProblem(p.path(), p.toString())).toList()));
        }
        return ok(Map.of("reloaded", true));
    }

    private static ApiException rejected(String error, List<ConfigProblem> problems) {
        boolean conflict = problems.stream().allMatch(p -> p.message().contains(" is already "));
        return new ApiException(new ErrorBody(conflict ? 409 : 400, error,
                problems.stream().map(p -> new ErrorBody.FieldProblem(p.path(), p.message())).toList()));
    }

    private static String mac(String text) throws ApiException {
        String mac = normalised(text);
        if (mac == null) {
            throw new ApiException(400, "\"" + text + "\" is not a MAC address (expected e.g. 02:00:00:00:00:01)");
        }
        return mac;
    }

    private static String normalised(String text) {
        try {
            return MacAddress.parse(text).toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Inet4Address ipv4(String text) throws ApiException {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new ApiException(400, "\"" + text + "\" is not an IPv4 address");
        }
        try {
            return (Inet4Address) Inet4Address.getByName(text);
        } catch (IOException e) {
            throw new ApiException(400, "\"" + text + "\" is not an IPv4 address");
        }
    }

    private static void allow(String method, String allowed) throws ApiException {
        if (!method.equals(allowed)) {
            throw notAllowed(method, allowed);
        }
    }

    private static ApiException notAllowed(String method, String allowed) {
        return new ApiException(405, method + " is not allowed here (allowed: " + allowed + ")");
    }

    private AdminResponse ok(Object body) {
        return json(200, body);
    }

    private AdminResponse json(int status, Object body) {
        try {
            return new AdminResponse(status, AdminResponse.JSON, json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps and lists always serialise", e);
        }
    }

    private AdminResponse error(ErrorBody body) {
        return json(body.status(), body);
    }
}
