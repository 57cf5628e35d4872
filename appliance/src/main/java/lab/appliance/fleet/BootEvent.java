package lab.appliance.fleet;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing that happened in a VM's boot.
 *
 * @param at     when the appliance saw it
 * @param kind   what happened
 * @param detail a short human-readable detail (e.g. the address, the datasource flavour, the webhook result); "" if none
 */
public record BootEvent(Instant at, Kind kind, String detail) {

    /** The kinds of events a boot is made of, in the order a healthy boot usually sees them. */
    public enum Kind {
        DISCOVER, OFFER, REQUEST, ACK, NAK, DECLINE, RELEASE, METADATA,
        /** A metadata request answered 400 or more; detail "{@code flavour status path}". */
        METADATA_ERROR,
        USER_DATA, PASSWORD_FETCHED, PASSWORD_SAVED,
        /** A reporting-webhook event that does not end the boot; detail "{@code name event_type [result]}". */
        REPORT,
        PHONE_HOME, FINISHED, FAILED
    }

    public BootEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }
}
