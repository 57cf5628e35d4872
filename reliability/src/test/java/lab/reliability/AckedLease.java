package lab.reliability;

import java.util.Objects;

/**
 * A lease one DHCPACK on the wire promised: the client's hardware address ({@code chaddr}) and the address it was
 * given ({@code yiaddr}).
 *
 * @param mac lowercase colon form, as the appliance's journal and admin API write it
 * @param ip  dotted quad
 */
record AckedLease(String mac, String ip) {

    AckedLease {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(ip, "ip");
    }
}
