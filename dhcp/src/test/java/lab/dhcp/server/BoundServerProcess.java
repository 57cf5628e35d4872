package lab.dhcp.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import lab.dhcp.codec.DhcpTrafficCounters;
import lab.dhcp.codec.DhcpReply;
import org.dhcp4java.DHCPPacket;

/**
 * A DhcpServer bound to one interface, run by {@link DhcpServerBindToDeviceIT} inside a network namespace (a JVM
 * cannot enter one itself). Answers DISCOVER with OFFER and REQUEST with ACK of 192.0.2.10; prints "ready", then
 * on any input line prints the number of requests received and exits.
 */
final class BoundServerProcess {

    private BoundServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        DhcpTrafficCounters counters = new DhcpTrafficCounters();
        InetAddress self = InetAddress.getByName("192.0.2.1");
        InetAddress offered = InetAddress.getByName("192.0.2.10");
        InetAddress mask = InetAddress.getByName("255.255.255.0");
        try (DhcpServer server = new DhcpServer(DhcpSocketSettings.forInterface(args[0]), (request, completions) -> {
            DHCPPacket in = request.packet();
            DHCPPacket out = new DHCPPacket();
            out.setOp((byte) 2);
            out.setXid(in.getXid());
            out.setFlags(in.getFlags());
            out.setChaddr(in.getChaddr());
            out.setYiaddr(offered);
            out.setDHCPMessageType(in.getDHCPMessageType() == 1 ? (byte) 2 : (byte) 5);
            out.setOptionAsInetAddress((byte) 54, self);
            out.setOptionAsInt((byte) 51, 3600);
            out.setOptionAsInetAddress((byte) 1, mask);
            return CompletableFuture.completedFuture(Optional.of(
                    new DhcpReply(out, new InetSocketAddress("255.255.255.255", 68), 576)));
        }, counters, Clock.systemUTC())) {
            server.start();
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            long received = counters.snapshot().received().values().stream().mapToLong(Long::longValue).sum();
            System.out.println("received=" + received);
        }
    }
}
