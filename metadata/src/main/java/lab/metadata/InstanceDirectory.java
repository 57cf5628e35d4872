package lab.metadata;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Caller address → the VM it belongs to, trees built. The appliance implements it as lease table (active lease: IP →
 * MAC) plus inventory; a caller without an active lease has no instance and is answered 404, never with another VM's
 * data. Called on every request, so it answers from instances built before (when a lease or the inventory changed)
 * rather than building one per request.
 */
@FunctionalInterface
public interface InstanceDirectory {

    Optional<ServedInstance> byAddress(InetAddress caller);
}
