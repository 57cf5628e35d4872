package lab.dhcp.lease;

import java.net.Inet4Address;
import java.util.Collection;
import java.util.Optional;
import lab.dhcp.MacAddress;

/** Read-only access to the lease table for the rest of the appliance (the metadata service resolves caller IP to MAC through it). */
public interface LeaseView {

    /** The latest record for an address, whatever its state. */
    Optional<Lease> byIp(Inet4Address ip);

    /** The latest record for a MAC, whatever its state. */
    Optional<Lease> byMac(MacAddress mac);

    /** The lease holding {@code ip} right now, if it is active and unexpired. */
    Optional<Lease> activeByIp(Inet4Address ip);

    /** A snapshot of every record. */
    Collection<Lease> all();

    /**
     * Registers a listener, told of each change made durable from now on, in order, on the table's listener thread
     * (possibly shortly after the commit's future completed). Listeners must not block.
     */
    void addListener(LeaseListener listener);
}
