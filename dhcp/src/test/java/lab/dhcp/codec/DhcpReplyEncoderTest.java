package lab.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import lab.dhcp.MacAddress;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DhcpReplyEncoderTest {

    private static final InetSocketAddress BROADCAST = new InetSocketAddress("255.255.255.255", 68);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("0.0.0.0", 68);
    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:17");
    private static final List<Integer> MANDATORY = List.of(53, 54, 51, 1, 3, 121);

    private final DhcpTrafficCounters counters = new DhcpTrafficCounters();
    private final Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new DhcpDatagramDecoder(counters, clock), new DhcpReplyEncoder(counters, clock));

    @AfterEach
    void channelsAreEmpty() {
        assertThat(channel.finish()).isFalse();
        assertThat((Object) channel.readInbound()).isNull();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void encodesAReplyPaddedToTheBootpMinimumForItsRecipient() throws Exception {
        DHCPPacket offer = offer();

        channel.writeOutbound(new DhcpReply(offer, BROADCAST, 576));
        DatagramPacket datagram = channel.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(datagram.content());
        datagram.release();

        assertThat(datagram.recipient()).isEqualTo(BROADCAST);
        assertThat(bytes).hasSize(DhcpReplyEncoder.MIN_MESSAGE_SIZE);
        DHCPPacket decoded = DHCPPacket.getPacket(bytes, 0, bytes.length, true);
        assertThat(decoded.getOp()).isEqualTo((byte) 2);
        assertThat(decoded.getXid()).isEqualTo(offer.getXid());
        assertThat(decoded.getYiaddr()).isEqualTo(InetAddress.getByName("192.0.2.23"));
        assertThat(decoded.getDHCPMessageType()).isEqualTo((byte) 2);
        assertThat(ClasslessRouteOption.decode(decoded.getOptionRaw((byte) 121))).hasSize(2);
        assertThat(counters.snapshot().optionsTrimmed()).isZero();
    }

    @Test
    void roundTripsAReplyThroughTheDecoderOnceTurnedIntoARequest() {
        DHCPPacket packet = offer();
        packet.setOp((byte) 1);   // the decoder only takes BOOTREQUESTs
        channel.writeOutbound(new DhcpReply(packet, BROADCAST, 576));
        DatagramPacket encoded = channel.readOutbound();

        channel.writeInbound(new DatagramPacket(encoded.content(), BROADCAST, CLIENT));
        DhcpDatagram decoded = channel.readInbound();

        assertThat(decoded.packet().getOptionsCollection()).containsExactlyElementsOf(packet.getOptionsCollection());
        assertThat(MacAddress.of(decoded.packet().getChaddr())).isEqualTo(MAC);
    }

    @Test
    void trimsOptionalOptionsUntilTheReplyFits576AndKeepsTheMandatoryOnes() {
        DHCPPacket offer = offer();
        DhcpOptions.setText(offer, 43, "v".repeat(200));                        // vendor-specific
        DhcpOptions.setName(offer, 15, "lab.example.org");                      // domain name
        DhcpOptions.setRaw(offer, 119, new byte[150]);                          // domain search
        DhcpOptions.setRaw(offer, 224, new byte[100]);                          // site-specific
        offer.setOptionAsInetAddresses((byte) 6, addresses(30));                // 120 bytes of DNS servers

        channel.writeOutbound(new DhcpReply(offer, BROADCAST, 576));
        DatagramPacket datagram = channel.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(datagram.content());
        datagram.release();

        assertThat(bytes.length).isLessThanOrEqualTo(576 - DhcpReplyEncoder.IP_UDP_HEADER_SIZE);
        DHCPPacket sent = DHCPPacket.getPacket(bytes, 0, bytes.length, true);
        for (int code : MANDATORY) {
            assertThat(sent.containsOption(DhcpOptions.code(code))).as("option %d", code).isTrue();
        }
        // Unnamed options go first, then in TRIM_ORDER: 224, then 43, then 119 is enough.
        assertThat(sent.containsOption(DhcpOptions.code(224))).isFalse();
        assertThat(sent.containsOption((byte) 43)).isFalse();
        assertThat(sent.containsOption((byte) 119)).isFalse();
        assertThat(sent.containsOption((byte) 15)).isTrue();
        assertThat(sent.containsOption((byte) 6)).isTrue();
        assertThat(counters.snapshot().optionsTrimmed()).isEqualTo(3);
        // The caller's packet is left as it was.
        assertThat(offer.containsOption((byte) 43)).isTrue();
    }

    @Test
    void keepsEverythingWhenTheClientAcceptsLargerMessages() {
        DHCPPacket offer = offer();
        DhcpOptions.setText(offer, 43, "v".repeat(200));
        DhcpOptions.setRaw(offer, 119, new byte[120]);

        channel.writeOutbound(new DhcpReply(offer, BROADCAST, 1472));
        DatagramPacket datagram = channel.readOutbound();
        int size = datagram.content().readableBytes();
        datagram.release();

        assertThat(size).isGreaterThan(548);
        assertThat(counters.snapshot().optionsTrimmed()).isZero();
    }

    @Test
    void removesOptionsLongerThan255BytesWhichDhcp4javaCannotSerialize() {
        DHCPPacket offer = offer();
        offer.setOptionRaw((byte) 43, new byte[300]);

        channel.writeOutbound(new DhcpReply(offer, BROADCAST, 1500));
        DatagramPacket datagram = channel.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(datagram.content());
        datagram.release();

        assertThat(DHCPPacket.getPacket(bytes, 0, bytes.length, true).containsOption((byte) 43)).isFalse();
        assertThat(counters.snapshot().optionsTrimmed()).isEqualTo(1);
    }

    @Test
    void ignoresPaddingCopiedFromTheRequest() {
        DHCPPacket offer = offer();
        offer.setPaddingWithZeroes(1000);

        channel.writeOutbound(new DhcpReply(offer, BROADCAST, 576));
        DatagramPacket datagram = channel.readOutbound();
        int size = datagram.content().readableBytes();
        datagram.release();

        assertThat(size).isEqualTo(DhcpReplyEncoder.MIN_MESSAGE_SIZE);
    }

    @Test
    void dropsRouterThenClasslessRoutesOnlyAsALastResort() {
        DHCPPacket offer = offer();
        offer.setOptionRaw((byte) 82, new byte[255]);    // relay agent information is never removed
        offer.setOptionRaw((byte) 121, new byte[200]);

        channel.writeOutbound(new DhcpReply(offer, BROADCAST, 576));
        DatagramPacket datagram = channel.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(datagram.content());
        datagram.release();

        DHCPPacket sent = DHCPPacket.getPacket(bytes, 0, bytes.length, true);
        assertThat(sent.containsOption((byte) 3)).isFalse();
        assertThat(sent.containsOption((byte) 121)).isFalse();
        for (int code : List.of(53, 54, 51, 1, 82)) {
            assertThat(sent.containsOption(DhcpOptions.code(code))).as("option %d", code).isTrue();
        }
        assertThat(counters.snapshot().optionsTrimmed()).isEqualTo(2);
    }

    /** An OFFER as the engine would build it: the mandatory options, a router and option 121. */
    static DHCPPacket offer() {
        try {
            DHCPPacket offer = new DHCPPacket();
            offer.setOp((byte) 2);
            offer.setXid(0x12345678);
            offer.setChaddr(MAC.toBytes());
            offer.setYiaddr(InetAddress.getByName("192.0.2.23"));
            offer.setDHCPMessageType((byte) 2);
            offer.setOptionAsInetAddress((byte) 54, InetAddress.getByName("192.0.2.1"));
            offer.setOptionAsInt((byte) 51, 3600);
            offer.setOptionAsInetAddress((byte) 1, InetAddress.getByName("255.255.255.0"));
            offer.setOptionAsInetAddress((byte) 3, InetAddress.getByName("192.0.2.1"));
            offer.setOptionRaw((byte) 121, ClasslessRouteOption.encode(List.of(
                    ClasslessRouteOptionTest.route("169.254.169.254", 32, "192.0.2.1"),
                    ClasslessRouteOptionTest.route("0.0.0.0", 0, "192.0.2.1"))));
            return offer;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress[] addresses(int count) {
        InetAddress[] out = new InetAddress[count];
        for (int i = 0; i < count; i++) {
            out[i] = ClasslessRouteOptionTest.inet4("198.51.100." + (i + 1));
        }
        return out;
    }
}
