package lab.appliance.netns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The appliance's admin API called with curl from one of the lab's namespaces (it listens on a lab address, out of
 * the test JVM's reach), with the bearer token the appliance wrote into its state directory.
 */
public final class AdminApiCalls {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Namespace from;
    private final String baseUrl;
    private final Path tokenFile;

    /**
     * @param from      the namespace curl runs in
     * @param baseUrl   e.g. {@code http://10.20.0.1:8807}
     * @param tokenFile the admin token file (read at each call: the appliance creates it at start)
     */
    public AdminApiCalls(Namespace from, String baseUrl, Path tokenFile) {
        this.from = Objects.requireNonNull(from, "from");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.tokenFile = Objects.requireNonNull(tokenFile, "tokenFile");
    }

    /** One answer: its status and body. */
    public record Response(int status, String body) {

        /** The body as JSON; fails the test if it is not. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("admin API answered " + status + " with a body that is not JSON: " + body, e);
            }
        }
    }

    /** A call with the token. */
    public Response call(String method, String path, String body) {
        return call(method, path, body, true);
    }

    /** {@code GET path} with the token; fails the test unless the answer is 200. */
    public JsonNode get(String path) {
        Response response = call("GET", path, null, true);
        if (response.status() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    /** One call; the status is the last line curl prints. */
    public Response call(String method, String path, String body, boolean withToken) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-m", "30", "-X", method,
                "-w", "\n%{http_code}"));
        if (withToken) {
            command.addAll(List.of("-H", "Authorization: Bearer " + token()));
        }
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
        }
        command.add(baseUrl + path);
        CommandResult result = from.exec(TIMEOUT, command).requireSuccess();
        String output = result.output().stripTrailing();
        int cut = output.lastIndexOf('\n');
        return new Response(Integer.parseInt(output.substring(cut + 1).strip()), cut < 0 ? "" : output.substring(0, cut));
    }

    private String token() {
        try {
            return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the appliance wrote no token at " + tokenFile, e);
        }
    }
}
