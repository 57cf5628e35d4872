package lab.appliance.netns;

import java.util.Objects;
import lab.dhcp.MacAddress;

/**
 * One client machine of the lab: a namespace whose only link is {@code eth0} on the lab bridge.
 *
 * @param namespace the client's namespace
 * @param mac       the hardware address of its {@code eth0}
 */
public record ClientHost(Namespace namespace, MacAddress mac) {

    /** The client's interface name inside its namespace. */
    public static final String INTERFACE = "eth0";

    public ClientHost {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(mac, "mac");
    }

    /** Removes every IPv4 address from {@code eth0}, so a stale address cannot confuse the next client run. */
    public void flushAddresses() {
        namespace.exec("ip", "-4", "addr", "flush", "dev", INTERFACE).requireSuccess();
    }
}
