package lab.metadata.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import lab.metadata.Flavour;
import lab.metadata.Instance;

/**
 * What the router decided: status, body, the methods to name in {@code Allow} for a 405, and for the log the
 * instance (when the caller had one) and the flavour spoken.
 */
public record MetadataAnswer(int status, byte[] body, Optional<String> allow, Optional<Instance> instance,
                             Optional<Flavour> flavour) {
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
        return new MetadataAnswer(status, body, allow, Optional.of(who), Optional.of(what));
    }

    MetadataAnswer allowing(String methods) {
        return new MetadataAnswer(status, body, Optional.of(methods), instance, flavour);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
