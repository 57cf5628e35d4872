package lab.appliance.netns;

/** Runs one real DHCP client program on one lab host, in its own directory, and reports what it obtained. */
public interface DhcpClientDriver {

    /** The client program's name. */
    String program();

    /** Runs the client until it binds (DISCOVER, OFFER, REQUEST, ACK) and returns what it received; fails if it does not. */
    ClientLease obtain();
}
