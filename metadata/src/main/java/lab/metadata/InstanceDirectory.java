package lab.metadata;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Caller address → the VM it belongs to. The appliance implements it as lease table (active lease: IP → MAC) plus
 * inventory; a caller without an active lease has no instance and is answered 404, never with another VM's data.
 */
@FunctionalInterface
public interface InstanceDirectory {

    Optional<Instance> byAddress(InetAddress caller);
}
