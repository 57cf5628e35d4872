package lab.config;

import java.util.Objects;

/** A value read from the config together with where it was written, so later checks can point at it. */
public record Located<T>(T value, Origin origin) {

    public Located {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(origin, "origin");
    }
}
