package lab.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;
import static org.quicktheories.QuickTheory.qt;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import lab.dhcp.codec.DhcpDatagram;
import lab.dhcp.codec.DhcpDatagramDecoder;
import lab.dhcp.codec.DhcpMessageType;
import lab.dhcp.codec.DhcpReplyEncoder;
import lab.dhcp.codec.DhcpTrafficCounters;
import lab.dhcp.codec.HostileRequests;
import lab.dhcp.engine.EngineFixture;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DHCP pipeline of {@link DhcpServerInitializer} (decoder, handler with a real engine and lease journal, reply
 * encoder; no socket) under hostile requests: nothing is thrown, every datagram ends exactly once, as a reply sent or
 * a drop counted by reason, and every reply that leaves is a BOOTREPLY to its request that fits the client's maximum
 * message size. This is the in-process form of the accounting the hostile-DHCP namespace test checks on the real
 * appliance.
 */
class HostileTrafficTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("0.0.0.0", 68);
    private static final InetSocketAddress BROADCAST = new InetSocketAddress("255.255.255.255", 67);
    private static final Duration SETTLE = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    private EngineFixture engine;
    private final DhcpTrafficCounters counters = new DhcpTrafficCounters();
    private EmbeddedChannel channel;
    /** A decoder of its own, to read back the request a reply answers. */
    private final EmbeddedChannel requestReader = new EmbeddedChannel(
            new DhcpDatagramDecoder(new DhcpTrafficCounters(), Clock.systemUTC()));

    @BeforeEach
    void start() throws Exception {
        engine = new EngineFixture(stateDir);
        channel = new EmbeddedChannel(new DhcpDatagramDecoder(counters, engine.clock),
                new DhcpReplyEncoder(counters, engine.clock),
                new DhcpServerHandler(engine.engine, counters, engine.clock));
    }

    @AfterEach
    void stop() throws Exception {
        assertThat(channel.finishAndReleaseAll()).as("nothing left in the pipeline").isFalse();
        assertThat(requestReader.finish()).isFalse();
        engine.close();
    }

    @Test
    void everyDatagramEndsOnceAsAReplyOrACountedDrop() {
        Map<String, Long> sentByType = new TreeMap<>();
        long[] datagrams = {0};
        qt().withExamples(2000).forAll(HostileRequests.anything()).checkAssert(bytes -> {
            DatagramPacket datagram = new DatagramPacket(Unpooled.wrappedBuffer(bytes), BROADCAST, CLIENT);
            assertThatCode(() -> channel.writeInbound(datagram)).doesNotThrowAnyException();
            datagrams[0]++;
            // REQUEST, RELEASE and DECLINE end on the journal's thread, then back on the channel's loop.
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(1)).until(() -> {
                channel.runPendingTasks();
                return ended() == datagrams[0];
            });
            DatagramPacket reply;
            while ((reply = channel.readOutbound()) != null) {
                try {
                    DhcpMessageType type = checkReply(bytes, ByteBufUtil.getBytes(reply.content()));
                    sentByType.merge(type.label(), 1L, Long::sum);
                } finally {
                    reply.release();
                }
            }
            assertThat((Object) channel.readInbound()).as("the handler consumes every request").isNull();
        });
        DhcpTrafficCounters.Snapshot snapshot = counters.snapshot();
        long received = snapshot.received().values().stream().mapToLong(Long::longValue).sum();
        long sent = snapshot.sent().values().stream().mapToLong(Long::longValue).sum();
        assertThat(sent).as("some hostile requests are answered, %s", sentByType).isPositive();
        assertThat(snapshot.droppedTotal()).isPositive();
        System.out.printf("pipeline over %d hostile datagrams: received %d, sent %d %s, dropped %d %s%n", datagrams[0],
                received, sent, sentByType, snapshot.droppedTotal(), snapshot.dropped());
    }

    /** Datagrams that have ended: every reply sent and every drop, whatever stage counted it. */
    private long ended() {
        DhcpTrafficCounters.Snapshot snapshot = counters.snapshot();
        return snapshot.sent().values().stream().mapToLong(Long::longValue).sum() + snapshot.droppedTotal();
    }

    /** Checks one reply against its request (as the decoder reads it, repeated options joined) and returns its type. */
    private DhcpMessageType checkReply(byte[] request, byte[] reply) {
        requestReader.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(request), BROADCAST, CLIENT));
        DHCPPacket in = requestReader.<DhcpDatagram>readInbound().packet();
        DHCPPacket out = DHCPPacket.getPacket(reply, 0, reply.length, true);
        assertThat(out.getOp()).as("BOOTREPLY").isEqualTo((byte) 2);
        assertThat(out.getXid()).isEqualTo(in.getXid());
        assertThat(out.getChaddr()).isEqualTo(in.getChaddr());
        int maxMessageSize = in.containsOption((byte) 57)
                ? Math.max(576, in.getOptionAsShort((byte) 57) & 0xFFFF) : 576;
        assertThat(reply.length).as("fits option 57 (%d) less IP and UDP headers", maxMessageSize)
                .isLessThanOrEqualTo(Math.min(maxMessageSize, 1500) - DhcpReplyEncoder.IP_UDP_HEADER_SIZE);
        DhcpMessageType type = DhcpMessageType.of(out.getDHCPMessageType() & 0xFF);
        assertThat(type).isIn(DhcpMessageType.OFFER, DhcpMessageType.ACK, DhcpMessageType.NAK);
        return type;
    }
}
