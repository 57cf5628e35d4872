package lab.metadata;

/**
 * Told about every boot report (phone-home post, reporting-webhook event) a known instance sent, for the appliance's
 * fleet timeline. Called on a Netty event loop: must not block.
 */
@FunctionalInterface
public interface BootReportListener {

    /** A listener that records nothing. */
    BootReportListener NONE = (instance, report) -> { };

    void bootReport(Instance instance, BootReport report);
}
