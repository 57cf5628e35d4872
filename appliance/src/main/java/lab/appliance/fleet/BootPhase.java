package lab.appliance.fleet;

import java.util.Locale;

/** How far a VM's current boot got, derived from its events; the admin API and CLI show {@link #label()}. */
public enum BootPhase {
    NO_LEASE, LEASED, METADATA, USER_DATA, FINISHED, FAILED;

    /** {@code no-lease}, {@code leased}, {@code metadata}, {@code user-data}, {@code finished}, {@code failed}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
