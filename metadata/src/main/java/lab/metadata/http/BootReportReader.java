package lab.metadata.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import lab.metadata.BootReport;

/**
 * Reads the two boot reports cloud-init 22.4 sends (metadata-protocols §9): the {@code phone_home} module's form post
 * ({@code application/x-www-form-urlencoded}: {@code instance_id}, {@code hostname}, {@code fqdn},
 * {@code pub_key_*}) and the reporting webhook's JSON event ({@code name}, {@code event_type} start|finish,
 * {@code result} SUCCESS|WARN|FAIL on finish, {@code description}, {@code origin}, {@code timestamp}).
 */
final class BootReportReader {

    /** Phone-home fields kept; the {@code pub_key_*} host keys are checked for but never kept or logged. */
    private static final List<String> PHONE_HOME_FIELDS = List.of("instance_id", "hostname", "fqdn");
    private static final String HOST_KEY_PREFIX = "pub_key_";
    private static final Set<String> EVENT_TYPES = Set.of("start", "finish");
    private static final Set<String> RESULTS = Set.of("SUCCESS", "WARN", "FAIL");

    private final ObjectMapper json = new ObjectMapper();

    BootReport phoneHome(byte[] body) throws UnreadableReportException {
        Map<String, List<String>> form;
        try {
            form = new QueryStringDecoder(new String(body, StandardCharsets.UTF_8), StandardCharsets.UTF_8, false)
                .parameters();
        } catch (IllegalArgumentException e) {
            throw new UnreadableReportException("phone-home body is not a url-encoded form: " + e.getMessage(), e);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String name : PHONE_HOME_FIELDS) {
            List<String> values = form.get(name);
            if (values != null && !values.isEmpty()) {
                fields.put(name, values.get(0).strip());
            }
        }
        boolean hostKeys = form.keySet().stream().anyMatch(name -> name.startsWith(HOST_KEY_PREFIX));
        if (fields.isEmpty() && !hostKeys) {
            throw new UnreadableReportException("phone-home form has none of instance_id, hostname, fqdn, pub_key_*");
        }
        return new BootReport(BootReport.Kind.PHONE_HOME, "phone_home", "", Optional.empty(), fields);
    }

    BootReport event(byte[] body) throws UnreadableReportException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new UnreadableReportException("event body is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UnreadableReportException("event body unreadable: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new UnreadableReportException("event body is not a JSON object");
        }
        String name = text(root, "name").filter(n -> !n.isBlank())
            .orElseThrow(() -> new UnreadableReportException("event has no \"name\""));
        String eventType = text(root, "event_type").filter(EVENT_TYPES::contains)
            .orElseThrow(() -> new UnreadableReportException("event_type must be one of start, finish"));
        Optional<String> result = text(root, "result");
        if (result.isPresent() && !RESULTS.contains(result.get())) {
            throw new UnreadableReportException("result must be one of SUCCESS, WARN, FAIL");
        }
        if (eventType.equals("finish") && result.isEmpty()) {
            throw new UnreadableReportException("a finish event needs a \"result\"");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        text(root, "description").ifPresent(d -> fields.put("description", d));
        text(root, "origin").ifPresent(o -> fields.put("origin", o));
        return new BootReport(BootReport.Kind.EVENT, name, eventType, result, fields);
    }

    private static Optional<String> text(JsonNode root, String field) throws UnreadableReportException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new UnreadableReportException("event field \"" + field + "\" is not a string");
        }
        return Optional.of(node.textValue());
    }
}
