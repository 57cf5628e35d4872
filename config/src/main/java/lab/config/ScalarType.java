package lab.config;

import java.util.Objects;

/** A kind of scalar the config accepts: how messages describe it ("an IPv4 address") and how to parse it. */
public record ScalarType<T>(String description, ScalarParser<T> parser) {

    public ScalarType {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parser, "parser");
    }
}
