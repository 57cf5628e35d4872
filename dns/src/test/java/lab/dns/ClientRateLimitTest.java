package lab.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientRateLimitTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aClientGetsItsBurstThenItsRateAndOneWarning() throws Exception {
        ClientRateLimit limit = new ClientRateLimit(10);
        InetAddress client = InetAddress.getByName("10.20.1.5");
        int answered = 0;
        for (int i = 0; i < 20; i++) {
            answered += limit.check(client, 0) == ClientRateLimit.Verdict.ANSWER ? 1 : 0;
        }
        assertEquals(20, answered, "a burst of twice the rate");
        assertEquals(ClientRateLimit.Verdict.DROP_FIRST, limit.check(client, 0));
        assertEquals(ClientRateLimit.Verdict.DROP, limit.check(client, 0));

        int afterASecond = 0;
        for (int i = 0; i < 20; i++) {
            afterASecond += limit.check(client, SECOND) == ClientRateLimit.Verdict.ANSWER ? 1 : 0;
        }
        assertEquals(10, afterASecond);
    }

    @Test
    void clientsHaveTheirOwnBuckets() throws Exception {
        ClientRateLimit limit = new ClientRateLimit(1);
        InetAddress noisy = InetAddress.getByName("10.20.1.5");
        InetAddress quiet = InetAddress.getByName("10.20.1.6");
        limit.check(noisy, 0);
        limit.check(noisy, 0);

        assertEquals(ClientRateLimit.Verdict.DROP_FIRST, limit.check(noisy, 0));
        assertEquals(ClientRateLimit.Verdict.ANSWER, limit.check(quiet, 0));
    }

    @Test
    void zeroMeansNoLimit() throws Exception {
        ClientRateLimit limit = new ClientRateLimit(0);
        InetAddress client = InetAddress.getByName("10.20.1.5");
        for (int i = 0; i < 10_000; i++) {
            assertEquals(ClientRateLimit.Verdict.ANSWER, limit.check(client, 0));
        }
    }
}
