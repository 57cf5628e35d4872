package lab.dhcp.lease;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.Objects;
import lab.dhcp.MacAddress;

/**
 * One address binding as recorded in the lease table and journal.
 *
 * @param ip       the leased address
 * @param mac      the client's hardware address (chaddr), the lease's key
 * @param clientId the client identifier (option 61) as lowercase hex, recorded but never a key; "" if none
 * @param hostname the hostname given to or sent by the client; "" if none
 * @param profile  the device profile the appliance decided for the MAC when it was ACKed (opaque to DHCP); "" if none
 * @param start    when the lease was last ACKed (or released/declined)
 * @param expires  when the lease ends; for DECLINED, when the quarantine ends
 * @param state    the lease's state
 */
public record Lease(Inet4Address ip, MacAddress mac, String clientId, String hostname, String profile,
                    Instant start, Instant expires, LeaseState state) {

    public Lease {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(state, "state");
    }

    /** True when this lease holds its address at {@code now}: active and not yet expired. */
    public boolean isActiveAt(Instant now) {
        return state == LeaseState.ACTIVE && now.isBefore(expires);
    }

    /** True when nobody may be given this address at {@code now} (an active lease or a quarantine). */
    public boolean blocksAddressAt(Instant now) {
        return (state == LeaseState.ACTIVE || state == LeaseState.DECLINED) && now.isBefore(expires);
    }

    public Lease withState(LeaseState newState, Instant at, Instant newExpires) {
        return new Lease(ip, mac, clientId, hostname, profile, at, newExpires, newState);
    }
}
