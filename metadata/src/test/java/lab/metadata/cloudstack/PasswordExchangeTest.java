package lab.metadata.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;

import lab.metadata.Instance;
import lab.metadata.TestInstances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordExchangeTest {

    private final PasswordLedger ledger = new InMemoryPasswordLedger();
    private final PasswordExchange exchange = new PasswordExchange(ledger);
    private final Instance instance = TestInstances.full("192.0.2.17");

    @Test
    void passwordIsSentUntilAcknowledgedThenSavedPassword() {
        assertThat(exchange.answer(instance, "send_my_password")).isEqualTo(new PasswordExchange.Reply(200,
            "Lab-Passw0rd-7"));
        assertThat(exchange.answer(instance, "send_my_password").body()).isEqualTo("Lab-Passw0rd-7");
        assertThat(exchange.answer(instance, "saved_password")).isEqualTo(new PasswordExchange.Reply(200,
            "saved_password"));
        assertThat(ledger.isSaved(instance.instanceId())).isTrue();
        assertThat(exchange.answer(instance, "send_my_password").body()).isEqualTo("saved_password");
    }

    @Test
    void noPasswordAnswersEmpty() {
        assertThat(exchange.answer(TestInstances.bare("192.0.2.42"), "send_my_password"))
            .isEqualTo(new PasswordExchange.Reply(200, ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "give_me_password", "SEND_MY_PASSWORD"})
    void anyOtherVerbIsABadRequest(String verb) {
        assertThat(exchange.answer(instance, verb)).isEqualTo(new PasswordExchange.Reply(400, "bad_request"));
        assertThat(ledger.isSaved(instance.instanceId())).isFalse();
    }

    @Test
    void acknowledgementIsPerInstance() {
        exchange.answer(instance, "saved_password");
        Instance other = new Instance("i-other", "vm18", TestInstances.ip("192.0.2.18"), 24, instance.gateway(),
            "02:00:00:00:00:18", "", instance.sshKeys(), instance.password(), instance.userData(),
            instance.vendorData(), instance.meta(), instance.interfaces(), "lab-1a", instance.dnsServers(), false);
        assertThat(exchange.answer(other, "send_my_password").body()).isEqualTo("Lab-Passw0rd-7");
    }
}
