package lab.metadata.cloudstack;

import java.util.Objects;
import lab.metadata.Instance;

/**
 * The CloudStack password server's protocol, as its virtual router answers the {@code DomU_Request} header that
 * cloud-init sends with wget:
 * <ul>
 *   <li>{@code send_my_password}: the password while it is not acknowledged, {@code saved_password} after,
 *       {@code ""} when the VM has none (cloud-init reads both as "no password").</li>
 *   <li>{@code saved_password}: records the acknowledgement, answers {@code saved_password}.</li>
 *   <li>anything else or no header: {@code bad_request} with status 400.</li>
 * </ul>
 */
public final class PasswordExchange {

    public static final String SEND = "send_my_password";
    public static final String SAVED = "saved_password";
    public static final String BAD_REQUEST = "bad_request";

    /** The answer: HTTP status and body text. */
    public record Reply(int status, String body) {
    }

    private final PasswordLedger ledger;

    public PasswordExchange(PasswordLedger ledger) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    public Reply answer(Instance instance, String verb) {
        if (SEND.equals(verb)) {
            if (instance.password().isEmpty()) {
                return new Reply(200, "");
            }
            if (ledger.isSaved(instance.instanceId())) {
                return new Reply(200, SAVED);
            }
            return new Reply(200, instance.password().get());
        }
        if (SAVED.equals(verb)) {
            ledger.markSaved(instance.instanceId());
            return new Reply(200, SAVED);
        }
        return new Reply(400, BAD_REQUEST);
    }
}
