package lab.dhcp.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where the DHCP socket listens.
 *
 * @param interfaceName      the served interface the socket is bound to with SO_BINDTODEVICE, or {@code null}
 *                           for none (tests on loopback only: an unbound wildcard socket answers every network)
 * @param bindAddress        0.0.0.0:67 in service; a socket bound to a unicast address hears no broadcasts
 * @param receiveBufferBytes SO_RCVBUF: what the kernel queues for the server, which bounds how long a request waits
 * @param sendBufferBytes    SO_SNDBUF: what replies may hold of kernel memory, those waiting for ARP included
 */
public record DhcpSocketSettings(String interfaceName, InetSocketAddress bindAddress, int receiveBufferBytes,
                                 int sendBufferBytes) {

    /** The DHCP server port (RFC 2131 §4.1). */
    public static final int SERVER_PORT = 67;

    /**
     * 256 KiB (the kernel doubles it for bookkeeping): about 500 queued requests, some 60 ms of work at full speed.
     * A deeper queue only makes requests older: with 4 MiB a flood queued a second of requests, clients (perfdhcp
     * after 1 s, real ones after 4 s) had given up on every OFFER by the time it left, and the server spent itself
     * on exchanges nobody finished. A short queue drops the excess at once, and clients retransmit.
     */
    public static final int DEFAULT_RECEIVE_BUFFER = 256 * 1024;

    /**
     * 4 MiB, against replies that wait for ARP. A reply unicast to a ciaddr or giaddr nobody answers ARP for stays
     * charged to the socket until the kernel gives up on the neighbour (three probes, about 3 s). Measured in the
     * hostile-DHCP namespace test, at 4000 hostile requests a second of which a few dozen were answered to such
     * addresses: the kernel's default 208 KiB stayed full (ss: 213760 bytes held of 212992), every other reply waited
     * behind them in Netty's queue, and a fresh client got no OFFER after the flood: replies queued during it were
     * still leaving 40 s later. With 4 MiB, 350 to 680 KiB were held and the fresh client was answered at once.
     * Past what it holds, the handler drops replies rather than queue them.
     */
    public static final int DEFAULT_SEND_BUFFER = 4 * 1024 * 1024;

    /** Linux IFNAMSIZ (16) less the terminating NUL. */
    static final int MAX_INTERFACE_NAME = 15;

    public DhcpSocketSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (bindAddress.isUnresolved()) {
            throw new IllegalArgumentException("bind address is unresolved: " + bindAddress);
        }
        if (interfaceName != null && !validInterfaceName(interfaceName)) {
            throw new IllegalArgumentException("not a Linux interface name: \"" + interfaceName + "\"");
        }
        if (receiveBufferBytes <= 0) {
            throw new IllegalArgumentException("receive buffer must be positive: " + receiveBufferBytes);
        }
        if (sendBufferBytes <= 0) {
            throw new IllegalArgumentException("send buffer must be positive: " + sendBufferBytes);
        }
    }

    /** Settings with the {@linkplain #DEFAULT_SEND_BUFFER default send buffer}. */
    public DhcpSocketSettings(String interfaceName, InetSocketAddress bindAddress, int receiveBufferBytes) {
        this(interfaceName, bindAddress, receiveBufferBytes, DEFAULT_SEND_BUFFER);
    }

    /** The service socket: 0.0.0.0:67 bound to {@code interfaceName}. */
    public static DhcpSocketSettings forInterface(String interfaceName) {
        Objects.requireNonNull(interfaceName, "interfaceName");
        return new DhcpSocketSettings(interfaceName,
                new InetSocketAddress(wildcard(), SERVER_PORT), DEFAULT_RECEIVE_BUFFER);
    }

    private static InetAddress wildcard() {
        return new InetSocketAddress(0).getAddress();
    }

    private static boolean validInterfaceName(String name) {
        if (name.isEmpty() || name.length() > MAX_INTERFACE_NAME || name.equals(".") || name.equals("..")) {
            return false;
        }
        // The kernel's dev_valid_name(): no '/', ':', whitespace or NUL; we also insist on printable ASCII.
        return name.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '/' && c != ':');
    }
}
