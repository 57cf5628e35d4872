package lab.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import lab.appliance.admin.AdminToken;
import lab.config.ConfigException;
import lab.config.ConfigLoader;
import lab.config.model.ApplianceConfig;
import lab.config.model.AdminConfig;

/** The CLI's side of the admin API: address and token from the config, JSON in and out, errors as one clear line. */
final class AdminClient {

    /** A failure to show the operator as is. */
    static final class AdminCallException extends Exception {
        AdminCallException(String message) {
            super(message);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final InetSocketAddress address;
    private final String token;

    AdminClient(InetSocketAddress address, String token) {
        this.address = address;
        this.token = token;
    }

    /** A client for the appliance configured in {@code configFile}. */
    /** @param stateDir the {@code --state-dir} the appliance was started with, if any (it may hold the token) */
    static AdminClient forConfig(Path configFile, Path stateDir) throws AdminCallException {
        AdminConfig admin;
        try {
            ApplianceConfig config = new ConfigLoader().load(configFile);
            admin = (stateDir == null ? config : config.withStateDir(stateDir)).admin();
        } catch (ConfigException e) {
            throw new AdminCallException(configFile + " has problems (run check-config): " + e.problems().get(0));
        }
        try {
            return new AdminClient(admin.listen(), AdminToken.read(admin.tokenFile()).value());
        } catch (IOException e) {
            throw new AdminCallException("cannot read the admin token " + admin.tokenFile() + ": " + e.getMessage()
                    + " (is the appliance running, and are you allowed to read it?)");
        }
    }

    JsonNode call(String method, String path, String body) throws AdminCallException {
        URI uri = URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new AdminCallException("the appliance is not running (nothing answers on " + uri.getAuthority() + ")");
        } catch (IOException e) {
            throw new AdminCallException("cannot reach the appliance at " + uri.getAuthority() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminCallException("interrupted");
        }
        JsonNode answer;
        try {
            answer = response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
        } catch (IOException e) {
            throw new AdminCallException("unexpected answer from " + uri + ": HTTP " + response.statusCode());
        }
        if (response.statusCode() >= 400) {
            StringBuilder text = new StringBuilder(answer.path("error").asText("HTTP " + response.statusCode()));
            for (JsonNode p : answer.path("problems")) {
                text.append(System.lineSeparator()).append("  ")
                        .append(p.path("field").asText().isEmpty() ? "" : p.path("field").asText() + ": ")
                        .append(p.path("message").asText());
            }
            throw new AdminCallException(text.toString());
        }
        return answer;
    }
}
