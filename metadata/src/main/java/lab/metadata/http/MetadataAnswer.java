package lab.metadata.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import lab.metadata.Flavour;
import lab.metadata.Instance;

/**
 * What the router decided: status, body, the methods to name in {@code Allow} for a 405, and for the log the
 * instance (when the caller had one) and the flavour spoken; {@code hopLimited} asks for the response to leave
 * with IP TTL 1 (an IMDSv2 token, which must not travel past the VM).
 */
public record MetadataAnswer(int status, byte[] body, Optional<String> allow, Optional<Instance> instance,
                             Optional<Flavour> flavour, boolean hopLimited) {

    public MetadataAnswer(int status, byte[] body, Optional<String> allow, Optional<Instance> instance,
                          Optional<Flavour> flavour) {
        this(status, body, allow, instance, flavour, false);
    }

    public MetadataAnswer {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(allow, "allow");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(flavour, "flavour");
    }

    static MetadataAnswer text(int status, String text) {
        return new MetadataAnswer(status, text.getBytes(StandardCharsets.UTF_8), Optional.empty(), Optional.empty(),
            Optional.empty());
    }

    MetadataAnswer about(Instance who, Flavour what) {
        return new MetadataAnswer(status, body, allow, Optional.of(who), Optional.of(what), hopLimited);
    }

    MetadataAnswer allowing(String methods) {
        return new MetadataAnswer(status, body, Optional.of(methods), instance, flavour, hopLimited);
    }

    MetadataAnswer withHopLimit() {
        return new MetadataAnswer(status, body, allow, instance, flavour, true);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
