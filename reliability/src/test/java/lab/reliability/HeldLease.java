package lab.reliability;

import java.util.Objects;

/**
 * One lease the appliance holds after a restart, as its admin API lists it or as the journal's last line for the
 * address leaves it.
 *
 * @param ip    dotted quad
 * @param mac   lowercase colon form
 * @param state {@code ACTIVE}, {@code RELEASED}, {@code DECLINED} or {@code EXPIRED}, in either case
 */
record HeldLease(String ip, String mac, String state) {

    HeldLease {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(state, "state");
    }

    boolean isActive() {
        return state.equalsIgnoreCase("ACTIVE");
    }
}
