package lab.metadata;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a VM reported about its own boot: a cloud-init {@code phone_home} post or one reporting-webhook event.
 *
 * @param kind      which hook sent it
 * @param name      the webhook event's name, e.g. {@code modules-final} or {@code modules-config/config-runcmd};
 *                  {@code phone_home} for a phone-home post
 * @param eventType the webhook's {@code start} or {@code finish}; "" for a phone-home post
 * @param result    the webhook finish's {@code SUCCESS}, {@code WARN} or {@code FAIL}, if any
 * @param fields    phone-home form fields other than the host keys ({@code instance_id}, {@code hostname},
 *                  {@code fqdn}), or the webhook's {@code description} and {@code origin}; never secrets or keys
 */
public record BootReport(Kind kind, String name, String eventType, Optional<String> result, Map<String, String> fields) {

    /** The hook that sent a report. */
    public enum Kind { PHONE_HOME, EVENT }

    /** The webhook event whose {@code finish} marks the end of a cloud-init boot. */
    public static final String FINAL_STAGE = "modules-final";

    public BootReport {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(result, "result");
        fields = Map.copyOf(fields);
    }

    /** True for the webhook's {@code finish} of {@code modules-final}: cloud-init is done with this boot. */
    public boolean endsBoot() {
        return kind == Kind.EVENT && name.equals(FINAL_STAGE) && eventType.equals("finish");
    }
}
