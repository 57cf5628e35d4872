package lab.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import lab.dhcp.codec.DhcpDatagram;
import lab.dhcp.codec.DhcpDatagramDecoder;
import lab.dhcp.codec.DhcpMessageType;
import lab.dhcp.codec.DhcpTrafficCounters;
import lab.dhcp.codec.HostileRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shedder's cheap look at option 53 and the decoder's full parse agree where it matters, for hostile input: no
 * DISCOVER the decoder would hand on slips past the shedder while it sheds, and nothing the decoder would hand on as
 * another message type (a REQUEST of a client already offered) is shed as a DISCOVER.
 */
class BacklogShedderPropertiesTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("0.0.0.0", 68);
    private static final InetSocketAddress BROADCAST = new InetSocketAddress("255.255.255.255", 67);

    private final EmbeddedChannel decoder = new EmbeddedChannel(
            new DhcpDatagramDecoder(new DhcpTrafficCounters(), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)));

    @AfterEach
    void channelIsEmpty() {
        assertThat(decoder.finish()).isFalse();
    }

    @Test
    void theShedderTakesForADiscoverExactlyWhatTheDecoderWouldHandOnAsOne() {
        qt().withExamples(5000).forAll(HostileRequests.anything()).checkAssert(bytes -> {
            decoder.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes), BROADCAST, CLIENT));
            DhcpDatagram decoded = decoder.readInbound();
            boolean shedAsDiscover = BacklogShedder.isDiscover(Unpooled.wrappedBuffer(bytes));

            if (decoded != null) {
                DhcpMessageType type = DhcpMessageType.of(decoded.packet().getDHCPMessageType() & 0xFF);
                assertThat(shedAsDiscover).as("shed as a DISCOVER, handed on as %s", type)
                        .isEqualTo(type == DhcpMessageType.DISCOVER);
            }
        });
    }
}
