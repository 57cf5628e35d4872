package lab.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import lab.dhcp.codec.DhcpTrafficCounters;
import lab.dhcp.codec.DropReason;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Overload is a backlog that lasts, not a burst; while it lasts, DISCOVERs (only) are dropped unparsed. */
class BacklogShedderTest {

    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 68);
    private static final InetSocketAddress TO = new InetSocketAddress("127.0.0.1", 67);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final DhcpTrafficCounters counters = new DhcpTrafficCounters();
    private final BacklogShedder shedder = new BacklogShedder(64, counters, Clock.systemUTC(), now::get);

    @Test
    void fullCyclesBecomeOverloadOnlyWhenTheyLast() {
        shedder.cycleEnded(64);
        now.addAndGet(BacklogShedder.SUSTAINED_NANOS - 1);
        shedder.cycleEnded(64);
        assertThat(shedder.overloaded()).as("a burst shorter than the sustained time").isFalse();

        now.addAndGet(1);
        shedder.cycleEnded(64);

        assertThat(shedder.overloaded()).isTrue();
    }

    @Test
    void aCycleThatEmptiesTheQueueEndsTheOverloadAndStartsTheCountAgain() {
        overload();

        shedder.cycleEnded(3);
        assertThat(shedder.overloaded()).isFalse();
        shedder.cycleEnded(64);
        now.addAndGet(BacklogShedder.SUSTAINED_NANOS / 2);
        shedder.cycleEnded(64);

        assertThat(shedder.overloaded()).isFalse();
    }

    @Test
    void whileOverloadedDiscoversAreDroppedAndCountedAndEverythingElsePasses() {
        EmbeddedChannel channel = new EmbeddedChannel(shedder);
        overload();

        channel.writeInbound(datagram(packet(DHCPConstants.DHCPDISCOVER)));
        channel.writeInbound(datagram(packet(DHCPConstants.DHCPREQUEST)));
        channel.writeInbound(datagram(new byte[] {1, 2, 3}));

        assertThat(channel.inboundMessages()).hasSize(2);
        assertThat(counters.snapshot().dropped().get(DropReason.OVERLOADED)).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void readsTheMessageTypeFromTheRawOptions() {
        assertThat(BacklogShedder.isDiscover(Unpooled.wrappedBuffer(packet(DHCPConstants.DHCPDISCOVER)))).isTrue();
        assertThat(BacklogShedder.isDiscover(Unpooled.wrappedBuffer(packet(DHCPConstants.DHCPREQUEST)))).isFalse();
        byte[] discover = packet(DHCPConstants.DHCPDISCOVER);
        assertThat(BacklogShedder.isDiscover(Unpooled.wrappedBuffer(Arrays.copyOf(discover, 241)))).isFalse();
        assertThat(BacklogShedder.isDiscover(Unpooled.wrappedBuffer(new byte[300]))).as("all padding").isFalse();
    }

    /** Found by the shedder's property test: only the first instance of option 53 was read. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "DISCOVER split as an empty and a one-byte instance | 3500 350101   | true",
            "DISCOVER split the other way                       | 350101 3500   | true",
            "REQUEST split as an empty and a one-byte instance  | 3500 350103   | false",
            "DISCOVER then REQUEST, which RFC 3396 makes 2 bytes | 350101 350103 | false",
    })
    void joinsTheInstancesOfOption53AsTheDecoderDoes(String what, String options, boolean discover) {
        byte[] bytes = rawRequest(HexFormat.of().parseHex(options.replace(" ", "")));

        assertThat(BacklogShedder.isDiscover(Unpooled.wrappedBuffer(bytes))).isEqualTo(discover);
    }

    private void overload() {
        shedder.cycleEnded(64);
        now.addAndGet(BacklogShedder.SUSTAINED_NANOS);
        shedder.cycleEnded(64);
        assertThat(shedder.overloaded()).isTrue();
    }

    private static DatagramPacket datagram(byte[] bytes) {
        return new DatagramPacket(Unpooled.wrappedBuffer(bytes), TO, FROM);
    }

    /** A BOOTREQUEST header and cookie, then {@code options} as given and END. */
    private static byte[] rawRequest(byte[] options) {
        byte[] bytes = new byte[240 + options.length + 1];
        bytes[0] = 1;
        bytes[1] = 1;
        bytes[2] = 6;
        bytes[236] = 0x63;
        bytes[237] = (byte) 0x82;
        bytes[238] = 0x53;
        bytes[239] = 0x63;
        System.arraycopy(options, 0, bytes, 240, options.length);
        bytes[bytes.length - 1] = (byte) 255;
        return bytes;
    }

    private static byte[] packet(byte type) {
        DHCPPacket p = new DHCPPacket();
        p.setOp(DHCPConstants.BOOTREQUEST);
        p.setHtype(DHCPConstants.HTYPE_ETHER);
        p.setHlen((byte) 6);
        p.setChaddr(new byte[] {2, 0, 0, 0, 0, 1});
        p.setDhcp(true);
        // Another option first, so the walk has to step over it.
        p.setOptionAsString(DHCPConstants.DHO_HOST_NAME, "vm-1");
        p.setDHCPMessageType(type);
        return p.serialize();
    }
}
