package lab.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import lab.metadata.http.GuardedServerContract;
import lab.metadata.http.HttpLimits;
import lab.metadata.http.HttpRefusalCounters;
import lab.metadata.http.RawHttpClient;

/** The metadata server against the hostile-input contract, with its production limits. */
class MetadataServerGuardTest extends GuardedServerContract {

    private final ServedInstance answers = ServedInstance.of(TestInstances.full("192.0.2.17"));
    private MetadataServer server;

    @Override
    protected InetSocketAddress start(HttpLimits limits) throws IOException {
        server = new MetadataServer(List.of(new InetSocketAddress(LOOPBACK, 0)),
            caller -> caller.equals(LOOPBACK) ? Optional.of(answers) : Optional.empty(),
            (who, flavour, path, status) -> { }, BootReportListener.NONE, Clock.systemUTC(), limits);
        server.bind();
        return server.localAddresses().get(0);
    }

    @Override
    protected HttpLimits productionLimits() {
        return MetadataServer.LIMITS;
    }

    @Override
    protected HttpRefusalCounters refusals() {
        return server.refusals();
    }

    @Override
    protected void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected String wellFormedRequest() {
        return "GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n";
    }

    @Override
    protected String bodyPath() {
        return "/cloud-init/events";
    }

    @Override
    protected void assertServersFormat(RawHttpClient.Exchange refusal) {
        assertThat(refusal.text()).contains("\r\ncontent-type: text/plain; charset=utf-8\r\n");
    }
}
