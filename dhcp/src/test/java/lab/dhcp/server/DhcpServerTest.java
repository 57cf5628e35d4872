package lab.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import lab.dhcp.codec.DhcpDatagram;
import lab.dhcp.codec.DhcpMessageType;
import lab.dhcp.codec.DhcpReply;
import lab.dhcp.codec.DhcpTrafficCounters;
import lab.dhcp.codec.DropReason;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exchanges real datagrams with the server on loopback; needs no root and no device binding. */
class DhcpServerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int SOCKET_TIMEOUT_MS = 5000;

    private final DhcpTrafficCounters counters = new DhcpTrafficCounters();
    private DhcpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void answersARequestToTheAddressTheResponderChose() throws Exception {
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            client.setSoTimeout(SOCKET_TIMEOUT_MS);
            start((request, completions) -> CompletableFuture.supplyAsync(() -> Optional.of(offerFor(request, client))));

            send(client, discover(0x1001));
            DHCPPacket reply = receive(client);

            assertThat(reply.getXid()).isEqualTo(0x1001);
            assertThat(reply.getDHCPMessageType()).isEqualTo((byte) 2);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(counters.snapshot().sent().get(DhcpMessageType.OFFER)).isEqualTo(1));
            assertThat(counters.snapshot().received().get(DhcpMessageType.DISCOVER)).isEqualTo(1);
        }
    }

    @Test
    void keepsAnsweringAfterAResponderThatThrowsOrFails() throws Exception {
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            client.setSoTimeout(SOCKET_TIMEOUT_MS);
            start((request, completions) -> switch (request.packet().getXid()) {
                case 1 -> throw new IllegalStateException("responder bug");
                case 2 -> CompletableFuture.failedFuture(new IOException("journal write failed"));
                case 3 -> CompletableFuture.completedFuture(Optional.empty());
                case 5 -> CompletableFuture.failedFuture(new OverloadedException("offers full"));
                case 6 -> CompletableFuture.failedFuture(new LeaseNotStoredException("disk full"));
                default -> CompletableFuture.completedFuture(Optional.of(offerFor(request, client)));
            });

            send(client, discover(1));
            send(client, discover(2));
            send(client, discover(3));
            send(client, discover(5));
            send(client, discover(6));
            send(client, new byte[] {1, 2, 3});
            send(client, discover(4));
            DHCPPacket reply = receive(client);

            assertThat(reply.getXid()).isEqualTo(4);
            DhcpTrafficCounters.Snapshot snapshot = counters.snapshot();
            assertThat(snapshot.dropped().get(DropReason.RESPONDER_ERROR)).isEqualTo(2);
            assertThat(snapshot.dropped().get(DropReason.NO_REPLY)).isEqualTo(1);
            assertThat(snapshot.dropped().get(DropReason.OVERLOADED)).isEqualTo(1);
            assertThat(snapshot.dropped().get(DropReason.LEASE_NOT_STORED)).isEqualTo(1);
            assertThat(snapshot.dropped().get(DropReason.TRUNCATED)).isEqualTo(1);
        }
    }

    /**
     * Found by the hostile-DHCP namespace test: with the kernel's default send buffer, replies waiting for ARP on
     * addresses nobody holds filled it, and every other reply waited behind them.
     */
    @Test
    void theSendBufferHoldsRepliesWaitingForArp() throws Exception {
        DhcpResponder silent = (request, completions) -> CompletableFuture.completedFuture(Optional.empty());
        server = new DhcpServer(new DhcpSocketSettings(null, new InetSocketAddress(LOOPBACK, 0), 65536), silent,
                counters, Clock.systemUTC());
        server.start();

        // SO_SNDBUFFORCE with CAP_NET_ADMIN; without it, SO_SNDBUF up to net.core.wmem_max. The kernel doubles either.
        long wmemMax = Long.parseLong(Files.readString(Path.of("/proc/sys/net/core/wmem_max")).strip());
        assertThat((long) server.sendBufferBytes())
                .isGreaterThanOrEqualTo(2 * Math.min(DhcpSocketSettings.DEFAULT_SEND_BUFFER, wmemMax));
    }

    @Test
    void dropsAReplyThatFindsTheSendQueueFullInsteadOfQueueingIt() {
        DhcpDatagram request = new DhcpDatagram(DHCPPacket.getPacket(discover(7), 0, discover(7).length, true),
                new InetSocketAddress("0.0.0.0", 68), new InetSocketAddress("255.255.255.255", 67));
        DHCPPacket offer = new DHCPPacket();
        offer.setOp((byte) 2);
        offer.setXid(7);
        offer.setDHCPMessageType((byte) 2);
        DhcpReply reply = new DhcpReply(offer, new InetSocketAddress("255.255.255.255", 68), 576);
        DhcpResponder offering = (r, completions) -> CompletableFuture.completedFuture(Optional.of(reply));
        EmbeddedChannel channel = new EmbeddedChannel(new DhcpServerHandler(offering, counters, Clock.systemUTC()));
        // As when the kernel takes no more and Netty's queue has passed its high watermark.
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);

        channel.writeInbound(request);

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(counters.snapshot().dropped().get(DropReason.SEND_BACKLOG)).isEqualTo(1);
        assertThat(counters.snapshot().sent().get(DhcpMessageType.OFFER)).isZero();
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        channel.writeInbound(request);
        assertThat((Object) channel.readOutbound()).isSameAs(reply);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void reportsAPortHeldByAnotherSocketAsAddressInUse() throws Exception {
        try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            DhcpServer second = new DhcpServer(
                    new DhcpSocketSettings(null, (InetSocketAddress) holder.getLocalSocketAddress(), 65536),
                    (request, completions) -> CompletableFuture.completedFuture(Optional.empty()), counters, Clock.systemUTC());

            assertThatThrownBy(second::start)
                    .isInstanceOfSatisfying(DhcpBindException.class, e -> {
                        assertThat(e.addressInUse()).isTrue();
                        assertThat(e.getMessage()).contains(String.valueOf(holder.getLocalPort()), "in use");
                    });
        }
    }

    @Test
    void reportsAMissingInterfaceByName() {
        DhcpServer bound = new DhcpServer(
                new DhcpSocketSettings("dhcpc-nosuch0", new InetSocketAddress(LOOPBACK, 0), 65536),
                (request, completions) -> CompletableFuture.completedFuture(Optional.empty()), counters, Clock.systemUTC());

        assertThatThrownBy(bound::start)
                .isInstanceOfSatisfying(DhcpBindException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DhcpBindException.Reason.NO_SUCH_INTERFACE);
                    assertThat(e.getMessage()).contains("dhcpc-nosuch0", "no such interface");
                });
    }

    private void start(DhcpResponder responder) throws DhcpBindException {
        server = new DhcpServer(new DhcpSocketSettings(null, new InetSocketAddress(LOOPBACK, 0), 1 << 20),
                responder, counters, Clock.systemUTC());
        server.start();
    }

    private void send(DatagramSocket client, byte[] bytes) throws IOException {
        client.send(new DatagramPacket(bytes, bytes.length, server.localAddress()));
    }

    private static DHCPPacket receive(DatagramSocket client) throws IOException {
        DatagramPacket datagram = new DatagramPacket(new byte[1500], 1500);
        client.receive(datagram);
        return DHCPPacket.getPacket(datagram.getData(), 0, datagram.getLength(), true);
    }

    private static byte[] discover(int xid) {
        DHCPPacket discover = new DHCPPacket();
        discover.setOp((byte) 1);
        discover.setXid(xid);
        discover.setChaddrHex("020000000017");
        discover.setDHCPMessageType((byte) 1);
        return discover.serialize();
    }

    private static DhcpReply offerFor(DhcpDatagram request, DatagramSocket client) {
        DHCPPacket offer = new DHCPPacket();
        offer.setOp((byte) 2);
        offer.setXid(request.packet().getXid());
        offer.setChaddr(request.packet().getChaddr());
        offer.setDHCPMessageType((byte) 2);
        return new DhcpReply(offer, (InetSocketAddress) client.getLocalSocketAddress(), 576);
    }
}
