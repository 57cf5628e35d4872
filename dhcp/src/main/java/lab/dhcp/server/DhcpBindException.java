package lab.dhcp.server;

import java.net.InetSocketAddress;
import java.util.Objects;

/** The DHCP socket could not be opened; {@link #reason()} tells the caller what to tell the operator. */
public final class DhcpBindException extends Exception {

    /** What went wrong, coarse enough for a caller to pick its advice. */
    public enum Reason {
        /** Another socket holds the port (EADDRINUSE): typically dnsmasq or another DHCP server is running. */
        ADDRESS_IN_USE,
        /** Port 67 needs root or CAP_NET_BIND_SERVICE; SO_BINDTODEVICE needs CAP_NET_RAW (EACCES/EPERM). */
        PERMISSION_DENIED,
        /** The interface does not exist (ENODEV). */
        NO_SUCH_INTERFACE,
        /** Netty's native epoll transport did not load; without it the socket cannot be bound to a device. */
        EPOLL_UNAVAILABLE,
        /** Anything else; the cause says what. */
        OTHER
    }

    private final Reason reason;
    private final String interfaceName;
    private final InetSocketAddress bindAddress;

    public DhcpBindException(Reason reason, String interfaceName, InetSocketAddress bindAddress, Throwable cause) {
        super(message(reason, interfaceName, bindAddress, cause), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.interfaceName = interfaceName;
        this.bindAddress = bindAddress;
    }

    public Reason reason() {
        return reason;
    }

    /** True when another process holds the port, so the operator should stop dnsmasq (or similar) first. */
    public boolean addressInUse() {
        return reason == Reason.ADDRESS_IN_USE;
    }

    /** The served interface, or {@code null} when the socket was not to be bound to one. */
    public String interfaceName() {
        return interfaceName;
    }

    public InetSocketAddress bindAddress() {
        return bindAddress;
    }

    private static String message(Reason reason, String interfaceName, InetSocketAddress bindAddress,
                                  Throwable cause) {
        String where = "cannot open DHCP socket " + bindAddress
                + (interfaceName == null ? "" : " on interface " + interfaceName);
        String why = switch (reason) {
            case ADDRESS_IN_USE -> "port " + bindAddress.getPort() + " is in use by another process";
            case PERMISSION_DENIED -> "permission denied (needs root or CAP_NET_BIND_SERVICE and CAP_NET_RAW)";
            case NO_SUCH_INTERFACE -> "no such interface";
            case EPOLL_UNAVAILABLE -> "the native epoll transport is unavailable";
            case OTHER -> "unexpected failure";
        };
        return where + ": " + why + (cause == null ? "" : " (" + cause.getMessage() + ")");
    }
}
