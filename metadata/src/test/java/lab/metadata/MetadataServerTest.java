package lab.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.metadata.cloudstack.InMemoryPasswordLedger;
import lab.metadata.cloudstack.PasswordServer;
import lab.metadata.http.HttpLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The metadata and password servers on 127.0.0.1 with real clients; 127.0.0.2 plays a caller without a lease. */
class MetadataServerTest {

    private static final InetAddress KNOWN = TestInstances.ip("127.0.0.1");
    private static final InetAddress UNKNOWN = TestInstances.ip("127.0.0.2");

    private final Instance instance = TestInstances.full("192.0.2.17");
    private final ServedInstance answers = ServedInstance.of(instance);
    private final InstanceDirectory directory = caller -> caller.equals(KNOWN) ? Optional.of(answers)
        : Optional.empty();
    private final List<String> served = new CopyOnWriteArrayList<>();
    private final MetadataRequestListener listener = (who, flavour, path, status) ->
        served.add(flavour + " " + path + " " + status);
    private final List<BootReport> reports = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    private MetadataServer server;
    private PasswordServer passwords;
    private int port;

    @BeforeEach
    void start() throws IOException {
        server = new MetadataServer(List.of(new InetSocketAddress(KNOWN, 0)), directory, listener,
            (who, report) -> reports.add(report), Clock.systemUTC(),
            MetadataServer.LIMITS.withTimes(HttpLimits.REQUEST_DEADLINE, Duration.ofMillis(300)));
        server.bind();
        port = server.localAddresses().get(0).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
        if (passwords != null) {
            passwords.close();
        }
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void phoneHomePostReachesTheReportListener() throws Exception {
        HttpResponse<String> response = post("/phone-home/i-17", "instance_id=i-17&hostname=waf-17&fqdn=N%2FA");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(reports).singleElement().satisfies(report ->
            assertThat(report.fields()).containsEntry("hostname", "waf-17").containsEntry("fqdn", "N/A"));
    }

    @Test
    void reportBodyOverTheCapIs413() throws Exception {
        HttpResponse<String> response = post("/cloud-init/events",
            "{\"name\": \"" + "x".repeat(MetadataServer.LIMITS.maxBodyBytes()) + "\"}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(reports).isEmpty();
    }

    /** Sends raw bytes from {@code source} and reads until the server closes (or 10 s pass). */
    private String raw(InetAddress source, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress(KNOWN, port), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void servesTheCallersMetadata() throws Exception {
        HttpResponse<String> response = get("/latest/meta-data/instance-id");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("i-0000000000000017");
        assertThat(response.headers().firstValue("content-type")).contains("text/plain; charset=utf-8");
        assertThat(get("/openstack/latest/meta_data.json").body()).contains("\"uuid\":\"i-0000000000000017\"");
        assertThat(get("/nocloud/meta-data").body()).contains("instance-id: i-0000000000000017");
        assertThat(served).contains("CLOUDSTACK /latest/meta-data/instance-id 200",
            "OPENSTACK /openstack/latest/meta_data.json 200");
    }

    @Test
    void unknownCallerGets404EvenWithAForwardedForHeader() throws IOException {
        String response = raw(UNKNOWN, "GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\n"
            + "X-Forwarded-For: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 404").endsWith("no lease for 127.0.0.2")
            .doesNotContain("i-0000000000000017");
    }

    @Test
    void garbageGets400AndTheServerKeepsAnswering() throws Exception {
        assertThat(raw(KNOWN, "\u0000\u0001 this is not http \r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(raw(KNOWN, "GET /a b c d HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(get("/latest/meta-data/instance-id").statusCode()).isEqualTo(200);
    }

    /**
     * Traversal and odd encodings: the trees are tables, so nothing outside the caller's own tree can answer; a path
     * only a trick would send is refused (400), any other odd one is simply not found in that tree (404).
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("lab.metadata.http.HostileRequests#oddMetadataPaths")
    void oddPathsGetANormal400Or404FromTheCallersOwnTree(String path, int status) throws Exception {
        String response = raw(KNOWN, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 " + status + " ");
        assertThat(response.substring(response.indexOf("\r\n\r\n") + 4))
            .isIn("not found", "bad request: unusable path");
        assertThat(response).doesNotContain("root:", "X-Injected", "i-0000000000000017");
        assertThat(get("/latest/meta-data/instance-id").body()).isEqualTo("i-0000000000000017");
    }

    @Test
    void oversizedBodyGets413() throws IOException {
        String response = raw(KNOWN, "PUT /latest/api/token HTTP/1.1\r\nHost: x\r\nContent-Length: "
            + (MetadataServer.LIMITS.maxBodyBytes() + 1) + "\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 413");
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws IOException {
        String response = raw(KNOWN, "GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /latest/meta-data/local-ipv4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(response).contains("i-0000000000000017").endsWith("192.0.2.17");
        assertThat(response.split("HTTP/1.1 200", -1)).hasSize(3);
    }

    @Test
    void idleConnectionIsClosed() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(KNOWN, port), 10_000);
            socket.setSoTimeout(10_000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void wrongMethodGets405WithAllow() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/latest/meta-data/"))
            .DELETE().timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).contains("GET");
    }

    @Test
    void imdsV2TokenRoundTrip() throws Exception {
        HttpResponse<String> token = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/latest/api/token"))
            .PUT(HttpRequest.BodyPublishers.noBody()).header("X-aws-ec2-metadata-token-ttl-seconds", "21600")
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(get("/2021-03-23/meta-data/instance-id", "X-aws-ec2-metadata-token", token.body()).statusCode())
            .isEqualTo(200);
        assertThat(get("/2021-03-23/meta-data/instance-id", "X-aws-ec2-metadata-token", "nope").statusCode())
            .isEqualTo(401);
    }

    @Test
    void bindErrorNamesTheAddress() {
        MetadataServer second = new MetadataServer(List.of(new InetSocketAddress(KNOWN, port)), directory, listener,
            BootReportListener.NONE, Clock.systemUTC(), MetadataServer.LIMITS);
        assertThatThrownBy(second::bind).isInstanceOf(IOException.class)
            .hasMessageContaining("metadata server: cannot listen on 127.0.0.1:" + port);
    }

    @Test
    void passwordServerHandsOutThePasswordUntilSaved() throws Exception {
        passwords = new PasswordServer(List.of(new InetSocketAddress(KNOWN, 0)), directory,
            new InMemoryPasswordLedger(), listener, PasswordServer.LIMITS);
        passwords.bind();
        URI uri = URI.create("http://127.0.0.1:" + passwords.localAddresses().get(0).getPort() + "/");
        assertThat(password(uri, "send_my_password").body()).isEqualTo("Lab-Passw0rd-7");
        assertThat(password(uri, "saved_password").body()).isEqualTo("saved_password");
        assertThat(password(uri, "send_my_password").body()).isEqualTo("saved_password");
        HttpResponse<String> bad = password(uri, "gimme");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("bad_request");
        assertThat(served).contains("CLOUDSTACK send_my_password 200", "CLOUDSTACK saved_password 200");
    }

    private HttpResponse<String> password(URI uri, String verb) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).header("DomU_Request", verb).timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
    }
}
