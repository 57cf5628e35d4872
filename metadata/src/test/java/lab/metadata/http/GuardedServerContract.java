package lab.metadata.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lab.metadata.TestInstances;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every HTTP server of the appliance does with hostile input, whatever its routes: each server's test extends
 * this and starts the real server on 127.0.0.1 with its production {@link HttpLimits} (shortened times or caps
 * only where a test needs them). Shared with the appliance module (test-jar) for the admin API.
 */
public abstract class GuardedServerContract {

    protected static final InetAddress LOOPBACK = TestInstances.ip("127.0.0.1");

    private InetSocketAddress server;

    /** Starts the server under test on 127.0.0.1, port 0, with {@code limits}; returns its address. */
    protected abstract InetSocketAddress start(HttpLimits limits) throws IOException;

    /** The server's production limits. */
    protected abstract HttpLimits productionLimits();

    /** What the started server's guard refused so far. */
    protected abstract HttpRefusalCounters refusals();

    /** Stops the server if a test started one. */
    protected abstract void stop();

    /** A keep-alive request from 127.0.0.1 the server answers with its own routes (any status under 500). */
    protected abstract String wellFormedRequest();

    /** A path the server accepts a POST body on (or at least reads one for). */
    protected abstract String bodyPath();

    /** Checks a refusal is worded in the server's own format (plain text, JSON). */
    protected abstract void assertServersFormat(RawHttpClient.Exchange refusal);

    @AfterEach
    void stopServer() {
        stop();
    }

    private InetSocketAddress serve(HttpLimits limits) throws IOException {
        server = start(limits);
        return server;
    }

    private RawHttpClient.Exchange send(String request) {
        return RawHttpClient.exchange(server, LOOPBACK, request);
    }

    private void assertRefused(RawHttpClient.Exchange exchange, int status) {
        assertThat(exchange.status()).as(exchange.text()).isEqualTo(status);
        assertThat(exchange.saysClose()).as("Connection: close").isTrue();
        assertThat(exchange.closed()).as("closed by the server").isTrue();
        assertThat(exchange.text().split("HTTP/1.1 ", -1)).as("one response only").hasSize(2);
        assertServersFormat(exchange);
    }

    private int answeredStatus() {
        try (RawHttpClient client = RawHttpClient.connect(server, LOOPBACK)) {
            client.send(wellFormedRequest());
            return client.readResponse().status();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lab.metadata.http.HostileRequests#malformed")
    void malformedRequestIs400AndClosedAndTheServerKeepsAnswering(String name, String request) throws IOException {
        serve(productionLimits());

        assertRefused(send(request), 400);
        assertThat(refusals().of(HttpRefusal.BAD_REQUEST)).isEqualTo(1);
        assertThat(answeredStatus()).isLessThan(500);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lab.metadata.http.HostileRequests#smuggling")
    void ambiguousFramingIs400AndClosed(String name, String request) throws IOException {
        serve(productionLimits());

        assertRefused(send(request), 400);
        assertThat(answeredStatus()).isLessThan(500);
    }

    @Test
    void requestLineOverTheLimitIs414() throws IOException {
        HttpLimits limits = productionLimits();
        serve(limits);

        assertRefused(send(HostileRequests.longRequestLine(limits.maxRequestLineBytes() + 100)), 414);
        assertThat(refusals().of(HttpRefusal.URI_TOO_LONG)).isEqualTo(1);
    }

    @Test
    void sixtyFourKibOfHeadersIs431() throws IOException {
        HttpLimits limits = productionLimits();
        assertThat(limits.maxHeaderBytes()).isLessThan(64 * 1024);
        serve(limits);

        assertRefused(send(HostileRequests.hugeHeaders(64 * 1024)), 431);
        assertThat(refusals().of(HttpRefusal.HEADERS_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void bodyAnnouncedOverTheLimitIs413() throws IOException {
        HttpLimits limits = productionLimits();
        serve(limits);

        assertRefused(send(HostileRequests.announcedBody(bodyPath(), limits.maxBodyBytes() + 1)), 413);
        assertThat(refusals().of(HttpRefusal.BODY_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void chunkedBodyGrowingOverTheLimitIs413() throws IOException {
        HttpLimits limits = productionLimits();
        serve(limits);

        assertRefused(send(HostileRequests.chunkedBody(bodyPath(), 2 * limits.maxBodyBytes())), 413);
        assertThat(refusals().of(HttpRefusal.BODY_TOO_LARGE)).isEqualTo(1);
        assertThat(answeredStatus()).isLessThan(500);
    }

    @Test
    void trickledRequestIsClosedAtTheDeadline() throws IOException {
        serve(productionLimits().withTimes(Duration.ofMillis(500), Duration.ofSeconds(30)));
        String request = wellFormedRequest().replace("\r\n\r\n", "\r\nX-Slow: " + "s".repeat(200) + "\r\n\r\n");

        try (RawHttpClient client = RawHttpClient.connect(server, LOOPBACK)) {
            assertThat(client.trickle(request)).as("bytes sent before the server closed")
                .isLessThan(request.length());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> refusals().of(HttpRefusal.REQUEST_DEADLINE) == 1);
    }

    @Test
    void connectionsPastTheAddressCapAreClosedAtOnceWhileOtherAddressesAreServed() throws IOException {
        serve(productionLimits().withConnections(10, 2));
        List<RawHttpClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                RawHttpClient client = RawHttpClient.connect(server, LOOPBACK);
                held.add(client);
                client.send(wellFormedRequest());
                assertThat(client.readResponse().status()).isLessThan(500);
            }
            try (RawHttpClient third = RawHttpClient.connect(server, LOOPBACK)) {
                assertThat(third.closesWithoutAnswer(Duration.ofSeconds(5))).isTrue();
            }
            assertThat(refusals().of(HttpRefusal.ADDRESS_CONNECTION_LIMIT)).isEqualTo(1);
            try (RawHttpClient other = RawHttpClient.connect(server, TestInstances.ip("127.0.0.2"))) {
                other.send(wellFormedRequest());
                assertThat(other.readResponse().status()).isLessThan(500);
            }
        } finally {
            held.forEach(RawHttpClient::close);
        }
    }
}
