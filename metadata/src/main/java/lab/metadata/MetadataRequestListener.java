package lab.metadata;

import java.time.Duration;

/**
 * Told about every request answered for a known instance, so the appliance can record "first metadata request",
 * "user-data fetched", "password fetched" in its fleet timeline. Called on a Netty event loop: must not block.
 */
@FunctionalInterface
public interface MetadataRequestListener {

    /** A listener that records nothing. */
    MetadataRequestListener NONE = (instance, flavour, path, status) -> { };

    /**
     * @param path   the request path as received, e.g. {@code /latest/user-data}; for the password server the
     *               verb, e.g. {@code send_my_password}
     * @param status the HTTP status answered
     */
    void served(Instance instance, Flavour flavour, String path, int status);

    /**
     * The same, with the time the answer took to build (lookup, tree, template rendering); listeners that keep
     * latency override this, the others only see {@link #served(Instance, Flavour, String, int)}.
     */
    default void served(Instance instance, Flavour flavour, String path, int status, Duration took) {
        served(instance, flavour, path, status);
    }
}
