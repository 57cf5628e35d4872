package lab.dhcp.engine;

import java.net.Inet4Address;
import java.util.Optional;
import lab.dhcp.MacAddress;

/**
 * Told about every DHCP message the engine accepted from a client of our subnet and every reply it decided to send,
 * so the appliance can keep a per-VM boot timeline. Called on a Netty event loop or on the lease journal's thread:
 * must not block, and must not throw (the engine logs and ignores what it throws).
 */
@FunctionalInterface
public interface DhcpEventListener {

    /** A listener that records nothing. */
    DhcpEventListener NONE = (mac, messageType, sent, address) -> { };

    /**
     * @param mac         the client (chaddr)
     * @param messageType option 53: DHCPDISCOVER, DHCPREQUEST, DHCPDECLINE, DHCPRELEASE, DHCPINFORM when received;
     *                    DHCPOFFER, DHCPACK, DHCPNAK when sent ({@code org.dhcp4java.DHCPConstants})
     * @param sent        true for our replies, false for what the client sent
     * @param address     received: the requested, declined or released address (option 50, else ciaddr), if any;
     *                    sent: yiaddr, if not 0.0.0.0
     */
    void dhcpEvent(MacAddress mac, byte messageType, boolean sent, Optional<Inet4Address> address);

    /**
     * The client restarted: its REQUEST is in INIT-REBOOT state (RFC 2131 §4.3.2: option 50, no server identifier,
     * no ciaddr), as a rebooted VM's DHCP client asks to keep the address its lease file remembers. Told just
     * before {@link #dhcpEvent} for that REQUEST; a renewal is never a restart.
     */
    default void clientRestarted(MacAddress mac) {
    }
}
