package lab.appliance.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of {@code fleet.journal}: an event of a VM's boot, and the VM's address, hostname and profile when they
 * changed with it.
 *
 * @param mac      lowercase colon form
 * @param boot     the boot it belongs to (1, 2, …); a higher number than the VM's current boot starts a new one
 * @param at       when the appliance saw it, ISO-8601 ({@code Instant.toString()}; no Jackson time module needed)
 * @param kind     what happened
 * @param detail   short detail, "" if none
 * @param ip       the VM's address after the event: an address, "" for none, null for unchanged
 * @param hostname the VM's hostname, null for unchanged
 * @param profile  the VM's profile, null for unchanged
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FleetRecord(String mac, int boot, String at, BootEvent.Kind kind, String detail, String ip, String hostname,
                   String profile) {

    FleetRecord {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
        if (boot < 1) {
            throw new IllegalArgumentException("boot must be 1 or more: " + boot);
        }
        Instant.parse(at);
    }

    Instant instant() {
        return Instant.parse(at);
    }

    BootEvent event() {
        return new BootEvent(instant(), kind, detail);
    }
}
