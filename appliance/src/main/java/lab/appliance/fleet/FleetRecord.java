package lab.appliance.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of {@code fleet.journal}: an event of a VM's boot, and the VM's address, hostname and profile when they
 * changed with it.
 *
 * @param mac      lowercase colon form
 * @param boot     the boot it belongs to (1, 2, …); a higher number than the VM's current boot starts a new one
 * @param at       when the appliance saw it; written as ISO-8601 ({@code Instant.toString()}), and kept as an Instant
 *                 because this record is made for every DHCP message: formatting and parsing it back showed as a
 *                 sixth of the packet path's profile
 * @param kind     what happened
 * @param detail   short detail, "" if none
 * @param ip       the VM's address after the event: an address, "" for none, null for unchanged
 * @param hostname the VM's hostname, null for unchanged
 * @param profile  the VM's profile, null for unchanged
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FleetRecord(String mac, int boot,
                   @JsonSerialize(using = ToStringSerializer.class) @JsonDeserialize(using = InstantText.class) Instant at,
                   BootEvent.Kind kind, String detail, String ip, String hostname, String profile) {

    FleetRecord {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
        if (boot < 1) {
            throw new IllegalArgumentException("boot must be 1 or more: " + boot);
        }
    }

    BootEvent event() {
        return new BootEvent(at, kind, detail);
    }

    /** Reads {@code at} back; Jackson's own Instant support is in a module this project does not need otherwise. */
    static final class InstantText extends FromStringDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantText() {
            super(Instant.class);
        }

        @Override
        protected Instant _deserialize(String value, DeserializationContext context) {
            return Instant.parse(value);
        }
    }
}
