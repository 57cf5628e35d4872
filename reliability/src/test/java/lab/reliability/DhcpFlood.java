package lab.reliability;

import static org.dhcp4java.DHCPConstants.BOOTREQUEST;
import static org.dhcp4java.DHCPConstants.DHCPACK;
import static org.dhcp4java.DHCPConstants.DHCPDISCOVER;
import static org.dhcp4java.DHCPConstants.DHCPNAK;
import static org.dhcp4java.DHCPConstants.DHCPOFFER;
import static org.dhcp4java.DHCPConstants.DHCPREQUEST;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_REQUESTED_ADDRESS;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_SERVER_IDENTIFIER;
import static org.dhcp4java.DHCPConstants.HTYPE_ETHER;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import lab.dhcp.MacAddress;
import org.dhcp4java.DHCPPacket;

/**
 * The hostile host of {@link PoolStarvationIT}, run as its own process inside a lab namespace: it sends a DISCOVER
 * from each of COUNT distinct random MACs (first octet {@value #FLOOD_OCTET_TEXT}, locally administered, so the test
 * can tell them from the lab's {@code 02:…} clients) at RATE a second, broadcast from port 68, and answers each OFFER
 * it hears for one of them with a REQUEST (SELECTING), as a client cycling through MACs to empty a pool would. Bounded
 * twice: COUNT packets and SECONDS of sending; then it listens until neither a DISCOVER nor a reply has gone by for
 * {@value #QUIET_MILLIS} ms (at most {@value #DRAIN_MILLIS} ms) and prints one line:
 * {@code flood tried=N offers=N requests=N acks=N naks=N seconds=S}.
 *
 * <p>Usage: {@code DhcpFlood COUNT RATE SECONDS SEED}.
 */
public final class DhcpFlood {

    /** First octet of every flood MAC. */
    static final int FLOOD_OCTET = 0x06;
    static final String FLOOD_OCTET_TEXT = "06";
    static final String SUMMARY_PREFIX = "flood ";
    private static final long QUIET_MILLIS = 3000;
    private static final long DRAIN_MILLIS = 10_000;
    private static final InetSocketAddress SERVERS = new InetSocketAddress(broadcast(), 67);

    private final DatagramSocket socket;
    private final AtomicLong offers = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong naks = new AtomicLong();
    private final AtomicLong lastReplyNanos = new AtomicLong(System.nanoTime());

    private DhcpFlood(DatagramSocket socket) {
        this.socket = socket;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: DhcpFlood COUNT RATE SECONDS SEED");
            System.exit(2);
        }
        int count = Integer.parseInt(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReuseAddress(true);
            socket.setBroadcast(true);
            socket.setReceiveBufferSize(1 << 20);
            socket.bind(new InetSocketAddress(68));
            DhcpFlood flood = new DhcpFlood(socket);
            Thread listener = new Thread(flood::listen, "flood-listener");
            listener.setDaemon(true);
            listener.start();
            long started = System.nanoTime();
            int tried = flood.send(count, rate, started + seconds * 1_000_000_000L, new Random(seed));
            double took = (System.nanoTime() - started) / 1e9;
            // The quiet time counts from the last DISCOVER, so a reply still on its way to it is waited for.
            flood.lastReplyNanos.accumulateAndGet(System.nanoTime(), Math::max);
            flood.drain();
            System.out.printf(Locale.ROOT, "%stried=%d offers=%d requests=%d acks=%d naks=%d seconds=%.1f%n",
                    SUMMARY_PREFIX, tried, flood.offers.get(), flood.requests.get(), flood.acks.get(),
                    flood.naks.get(), took);
            System.out.flush();
        }
    }

    /** DISCOVERs from distinct random MACs, paced to {@code rate} a second; returns how many were sent. */
    private int send(int count, int rate, long deadlineNanos, Random random) throws IOException {
        Set<Long> used = new HashSet<>();
        long start = System.nanoTime();
        int sent = 0;
        while (sent < count && System.nanoTime() < deadlineNanos) {
            long mac;
            do {
                mac = ((long) FLOOD_OCTET << 40) | (random.nextLong() & 0xFF_FFFF_FFFFL);
            } while (!used.add(mac));
            long wait = start + sent * 1_000_000_000L / rate - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            DHCPPacket discover = packet(DHCPDISCOVER, new MacAddress(mac).toBytes(), random.nextInt());
            transmit(discover);
            sent++;
        }
        return sent;
    }

    /** Answers OFFERs for flood MACs with a REQUEST and counts what comes back, until the socket closes. */
    private void listen() {
        byte[] buffer = new byte[1500];
        while (!socket.isClosed()) {
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(datagram);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return; // closed
            }
            DHCPPacket reply;
            try {
                reply = DHCPPacket.getPacket(datagram);
            } catch (RuntimeException e) {
                continue;
            }
            Byte type = reply.getDHCPMessageType();
            byte[] chaddr = reply.getChaddr();
            if (type == null || chaddr == null || chaddr.length < 6 || (chaddr[0] & 0xFF) != FLOOD_OCTET) {
                continue; // a reply to one of the lab's own clients
            }
            lastReplyNanos.set(System.nanoTime());
            if (type == DHCPOFFER) {
                offers.incrementAndGet();
                request(reply);
            } else if (type == DHCPACK) {
                acks.incrementAndGet();
            } else if (type == DHCPNAK) {
                naks.incrementAndGet();
            }
        }
    }

    private void request(DHCPPacket offer) {
        DHCPPacket request = packet(DHCPREQUEST, offer.getChaddr(), offer.getXid());
        request.setOptionAsInetAddress(DHO_DHCP_SERVER_IDENTIFIER,
                offer.getOptionAsInetAddr(DHO_DHCP_SERVER_IDENTIFIER));
        request.setOptionAsInetAddress(DHO_DHCP_REQUESTED_ADDRESS, offer.getYiaddr());
        try {
            transmit(request);
            requests.incrementAndGet();
        } catch (IOException e) {
            System.err.println("REQUEST not sent: " + e);
        }
    }

    /** Waits until replies have stopped for a while, then closes the socket. */
    private void drain() {
        long until = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
        while (System.nanoTime() < until
                && System.nanoTime() - lastReplyNanos.get() < QUIET_MILLIS * 1_000_000L) {
            LockSupport.parkNanos(100_000_000L);
        }
        socket.close();
    }

    private void transmit(DHCPPacket packet) throws IOException {
        byte[] wire = packet.serialize();
        try {
            socket.send(new DatagramPacket(wire, wire.length, SERVERS));
        } catch (SocketException e) {
            if (!socket.isClosed()) {
                throw e;
            }
        }
    }

    private static DHCPPacket packet(byte type, byte[] chaddr, int xid) {
        DHCPPacket p = new DHCPPacket();
        p.setOp(BOOTREQUEST);
        p.setHtype(HTYPE_ETHER);
        p.setHlen((byte) 6);
        p.setXid(xid);
        p.setChaddr(chaddr);
        p.setFlags((short) 0x8000); // answer by broadcast: this host has no address for any of these MACs
        p.setDhcp(true);
        p.setDHCPMessageType(type);
        return p;
    }

    private static InetAddress broadcast() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
