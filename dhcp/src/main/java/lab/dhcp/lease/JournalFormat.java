package lab.dhcp.lease;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import lab.dhcp.MacAddress;

/**
 * The journal's line format: JSON lines, read and written with Jackson.
 *
 * <p>The first line is the header {@code {"format":"appliance-lease-journal","version":1}}. Every other line is one
 * lease record, for example
 * {@code {"ip":"192.0.2.23","mac":"02:00:00:00:00:17","state":"ACTIVE","start":"2026-01-02T03:04:05Z",
 * "expires":"2026-01-02T04:04:05Z","clientId":"0102","hostname":"vm1","profile":"waf"}}. Times are ISO-8601
 * instants in UTC (readable by an operator with {@code less}, exact to the nanosecond). Every field is required but
 * {@code profile}, which came later: a line without it (written before) reads as no profile, so old journals still
 * load and the format keeps version 1. A line holding anything else (an unknown or repeated key, more after the
 * object, an address with a leading zero) is damaged: this format never writes one.
 */
final class JournalFormat {

    static final String FORMAT_NAME = "appliance-lease-journal";
    static final int VERSION = 1;

    /** The fields of a record line; every one required but {@code profile}. */
    private static final Set<String> FIELDS = Set.of("ip", "mac", "state", "start", "expires", "clientId", "hostname",
            "profile");

    /**
     * Strict about what a line holds: by default Jackson reads the first value of a line and ignores the rest, so two
     * records run together by a lost newline read as the first alone, the second gone without a word; and of a key
     * given twice it keeps the last.
     */
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The header line, newline included. */
    byte[] header() {
        ObjectNode node = mapper.createObjectNode();
        node.put("format", FORMAT_NAME);
        node.put("version", VERSION);
        return line(node);
    }

    /**
     * Checks a header line (without its newline).
     *
     * @return null when it is a header of this format and version, else what is wrong with it
     */
    String headerProblem(byte[] bytes, int length) {
        JsonNode node;
        try {
            node = mapper.readTree(bytes, 0, length);
        } catch (IOException e) {
            return "its first line is not a journal header";
        }
        if (node == null || !node.isObject() || !FORMAT_NAME.equals(node.path("format").asText(null))) {
            return "its first line does not name the format " + FORMAT_NAME;
        }
        JsonNode version = node.get("version");
        if (version == null || !version.isInt() || version.intValue() != VERSION) {
            return "it has version " + version + " of " + FORMAT_NAME + ", this build reads version " + VERSION;
        }
        return null;
    }

    /**
     * One record line, newline included. Written with Jackson's streaming generator rather than a tree: this runs
     * for every lease on the DHCP event loop, and the tree and its serializer lookups showed in its profile.
     */
    byte[] encode(Lease lease) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("ip", lease.ip().getHostAddress());
            json.writeStringField("mac", lease.mac().toString());
            json.writeStringField("state", lease.state().name());
            json.writeStringField("start", lease.start().toString());
            json.writeStringField("expires", lease.expires().toString());
            json.writeStringField("clientId", lease.clientId());
            json.writeStringField("hostname", lease.hostname());
            json.writeStringField("profile", lease.profile());
            json.writeEndObject();
        } catch (IOException e) {
            // Strings into a byte builder cannot fail; failing here is a Jackson bug.
            throw new IllegalStateException("cannot serialize journal line", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** Reads one record line (without its newline). */
    Lease decode(byte[] bytes, int offset, int length) throws DamagedRecordException {
        JsonNode node;
        try {
            node = mapper.readTree(bytes, offset, length);
        } catch (JsonProcessingException e) {
            throw new DamagedRecordException("not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DamagedRecordException("not JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new DamagedRecordException("not a JSON object");
        }
        // A key this version never writes is damage (a newer format would have a new version in its header): read as
        // absent, a misspelt "profile" would lose the lease's profile without a word.
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new DamagedRecordException("unknown field \"" + name + "\"");
            }
        }
        Inet4Address ip = address(text(node, "ip"));
        MacAddress mac;
        try {
            mac = MacAddress.parse(text(node, "mac"));
        } catch (IllegalArgumentException e) {
            throw new DamagedRecordException("bad mac: " + e.getMessage(), e);
        }
        LeaseState state;
        try {
            state = LeaseState.valueOf(text(node, "state"));
        } catch (IllegalArgumentException e) {
            throw new DamagedRecordException("unknown state \"" + node.get("state").asText() + "\"", e);
        }
        return new Lease(ip, mac, text(node, "clientId"), text(node, "hostname"), optionalText(node, "profile"),
                instant(node, "start"), instant(node, "expires"), state);
    }

    private byte[] line(ObjectNode node) {
        try {
            byte[] json = mapper.writeValueAsBytes(node);
            byte[] withNewline = new byte[json.length + 1];
            System.arraycopy(json, 0, withNewline, 0, json.length);
            withNewline[json.length] = '\n';
            return withNewline;
        } catch (JsonProcessingException e) {
            // An ObjectNode of strings and ints always serializes; failing here is a Jackson bug.
            throw new IllegalStateException("cannot serialize journal line", e);
        }
    }

    private static String text(JsonNode node, String field) throws DamagedRecordException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new DamagedRecordException("missing field " + field);
        }
        if (!value.isTextual()) {
            throw new DamagedRecordException("field " + field + " is not a string");
        }
        return value.textValue();
    }

    /** A field added after version 1 shipped: absent (an older line) is "". */
    private static String optionalText(JsonNode node, String field) throws DamagedRecordException {
        return node.hasNonNull(field) ? text(node, field) : "";
    }

    private static Instant instant(JsonNode node, String field) throws DamagedRecordException {
        String text = text(node, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new DamagedRecordException("bad " + field + " \"" + text + "\" (expected an ISO-8601 instant)", e);
        }
    }

    /**
     * Parses an IPv4 literal without ever asking DNS (InetAddress.getByName would resolve a name), in the dotted
     * decimal form this format writes: a leading zero ("092.0.2.1") is refused, since tools disagree on whether it
     * means decimal or octal, and this journal never writes one.
     */
    private static Inet4Address address(String text) throws DamagedRecordException {
        if (!NetUtil.isValidIpV4Address(text)) {
            throw new DamagedRecordException("bad ip \"" + text + "\" (expected an IPv4 address)");
        }
        Inet4Address ip;
        try {
            ip = (Inet4Address) InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(text));
        } catch (UnknownHostException e) {
            throw new DamagedRecordException("bad ip \"" + text + "\"", e);
        }
        if (!ip.getHostAddress().equals(text)) {
            throw new DamagedRecordException("bad ip \"" + text + "\" (expected dotted decimal without leading zeros)");
        }
        return ip;
    }
}
