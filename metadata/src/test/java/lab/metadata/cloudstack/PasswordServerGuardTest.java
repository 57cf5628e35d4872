package lab.metadata.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import lab.metadata.ServedInstance;
import lab.metadata.TestInstances;
import lab.metadata.http.GuardedServerContract;
import lab.metadata.http.HttpLimits;
import lab.metadata.http.HttpRefusalCounters;
import lab.metadata.http.RawHttpClient;

/** The CloudStack password server against the hostile-input contract, with its production limits. */
class PasswordServerGuardTest extends GuardedServerContract {

    private final ServedInstance answers = ServedInstance.of(TestInstances.full("192.0.2.17"));
    private PasswordServer server;

    @Override
    protected InetSocketAddress start(HttpLimits limits) throws IOException {
        server = new PasswordServer(List.of(new InetSocketAddress(LOOPBACK, 0)),
            caller -> caller.equals(LOOPBACK) ? Optional.of(answers) : Optional.empty(), new InMemoryPasswordLedger(),
            (who, flavour, path, status) -> { }, limits);
        server.bind();
        return server.localAddresses().get(0);
    }

    @Override
    protected HttpLimits productionLimits() {
        return PasswordServer.LIMITS;
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
        return "GET / HTTP/1.1\r\nHost: x\r\nDomU_Request: send_my_password\r\n\r\n";
    }

    @Override
    protected String bodyPath() {
        return "/";
    }

    @Override
    protected void assertServersFormat(RawHttpClient.Exchange refusal) {
        assertThat(refusal.text()).contains("\r\ncontent-type: text/plain; charset=utf-8\r\n");
    }
}
