package lab.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import lab.dhcp.MacAddress;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DhcpDatagramDecoderTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("0.0.0.0", 68);
    private static final InetSocketAddress BROADCAST = new InetSocketAddress("255.255.255.255", 67);
    private static final MacAddress CAPTURED_MAC = MacAddress.parse("02:00:00:00:01:01");

    private final DhcpTrafficCounters counters = new DhcpTrafficCounters();
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new DhcpDatagramDecoder(counters, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)));

    @AfterEach
    void channelsAreEmpty() {
        assertThat(channel.finish()).isFalse();
        assertThat((Object) channel.readInbound()).isNull();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "dhclient-discover.hex | DISCOVER | 1,28,2,3,15,6,119,12,44,47,26,121,42 |      |",
            "dhclient-request.hex  | REQUEST  | 1,28,2,3,15,6,119,12,44,47,26,121,42 |      |",
            "udhcpc-discover.hex   | DISCOVER | 1,3,6,12,15,28,42,121                | 576  | 01020000000101",
            "udhcpc-request.hex    | REQUEST  | 1,3,6,12,15,28,42,121                | 576  | 01020000000101",
            "dhcpcd-discover.hex   | DISCOVER | 1,121,3,6,12,28,33,51,58,59          | 1472 |",
            "dhcpcd-request.hex    | REQUEST  | 1,121,3,6,12,28,33,51,58,59          | 1472 |",
    })
    void decodesPacketsCapturedFromRealClients(String fixture, DhcpMessageType type, String parameterList,
                                               Integer maxMessageSize, String clientId) {
        byte[] bytes = PacketFixtures.load(fixture);

        channel.writeInbound(datagram(bytes));
        DhcpDatagram decoded = channel.readInbound();

        DHCPPacket packet = decoded.packet();
        assertThat(DhcpMessageType.of(packet.getDHCPMessageType())).isEqualTo(type);
        assertThat(MacAddress.of(packet.getChaddr())).isEqualTo(CAPTURED_MAC);
        assertThat(unsigned(packet.getOptionRaw((byte) 55)))
                .containsExactly(Arrays.stream(parameterList.split(",")).mapToInt(Integer::parseInt).toArray());
        if (maxMessageSize == null) {
            assertThat(packet.containsOption((byte) 57)).isFalse();
        } else {
            assertThat(packet.getOptionAsShort((byte) 57) & 0xFFFF).isEqualTo(maxMessageSize);
        }
        if (clientId == null) {
            assertThat(packet.containsOption((byte) 61)).isFalse();
        } else {
            assertThat(HexFormat.of().formatHex(packet.getOptionRaw((byte) 61))).isEqualTo(clientId);
        }
        assertThat(decoded.sender()).isEqualTo(CLIENT);
        assertThat(decoded.recipient()).isEqualTo(BROADCAST);
        assertThat(decoded.broadcast()).isTrue();
        assertThat(counters.snapshot().received().get(type)).isEqualTo(1);
        assertThat(counters.snapshot().droppedTotal()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "dhclient-request-rebooting.hex | REQUEST | 0.0.0.0    |           | 192.0.2.10",
            "udhcpc-request-renewing.hex    | REQUEST | 192.0.2.10 |           |",
            "dhclient-release.hex           | RELEASE | 192.0.2.10 | 192.0.2.1 |",
            "udhcpc-release.hex             | RELEASE | 192.0.2.10 | 192.0.2.1 |",
            "dhcpcd-release.hex             | RELEASE | 192.0.2.10 | 192.0.2.1 |",
            "dhcpcd-inform.hex              | INFORM  | 192.0.2.50 |           |",
    })
    void decodesTheOtherExchangesCapturedFromRealClients(String fixture, DhcpMessageType type, String ciaddr,
                                                         String serverId, String requestedIp) {
        channel.writeInbound(datagram(PacketFixtures.load(fixture)));
        DhcpDatagram decoded = channel.readInbound();

        DHCPPacket packet = decoded.packet();
        assertThat(DhcpMessageType.of(packet.getDHCPMessageType())).isEqualTo(type);
        assertThat(MacAddress.of(packet.getChaddr())).isEqualTo(CAPTURED_MAC);
        assertThat(packet.getCiaddr().getHostAddress()).isEqualTo(ciaddr);
        if (serverId == null) {
            assertThat(packet.containsOption((byte) 54)).isFalse();
        } else {
            assertThat(packet.getOptionAsInetAddr((byte) 54).getHostAddress()).isEqualTo(serverId);
        }
        if (requestedIp == null) {
            assertThat(packet.containsOption((byte) 50)).isFalse();
        } else {
            assertThat(packet.getOptionAsInetAddr((byte) 50).getHostAddress()).isEqualTo(requestedIp);
        }
        assertThat(counters.snapshot().received().get(type)).isEqualTo(1);
    }

    @Test
    void decodesAnOptionCodeAbove127DespiteDhcp4javasSignedBytes() {
        channel.writeInbound(datagram(PacketFixtures.load("dhcpcd-discover.hex")));
        DhcpDatagram decoded = channel.readInbound();

        // dhcpcd 9 announces FORCERENEW nonce capability, option 145, which dhcp4java keys as (byte) -111.
        assertThat(decoded.packet().getOptionRaw(DhcpOptions.code(145))).containsExactly(1);
        assertThat(DhcpOptions.text(decoded.packet(), 60)).hasValueSatisfying(
                text -> assertThat(text).startsWith("dhcpcd-9.4.1:"));
    }

    @ParameterizedTest(name = "first {0} bytes of a real DISCOVER")
    @ValueSource(ints = {0, 1, 100, 235, 239})
    void dropsShortPacketsAsTruncated(int length) {
        byte[] bytes = Arrays.copyOf(PacketFixtures.load("udhcpc-discover.hex"), length);

        assertDropped(bytes, DropReason.TRUNCATED);
    }

    @Test
    void dropsOptionsCutOffBeforeTheEndOptionAsTruncated() {
        byte[] whole = PacketFixtures.load("dhclient-discover.hex");
        int end = indexOfEnd(whole);
        byte[] cut = Arrays.copyOf(whole, end);   // everything up to, not including, END

        assertDropped(cut, DropReason.TRUNCATED);
    }

    @Test
    void dropsBootReplies() {
        byte[] bytes = PacketFixtures.load("dhclient-discover.hex");
        bytes[0] = 2;

        assertDropped(bytes, DropReason.NOT_BOOTREQUEST);
    }

    @Test
    void dropsNonEthernetHardware() {
        byte[] bytes = PacketFixtures.load("dhclient-discover.hex");
        bytes[1] = 32;   // InfiniBand
        bytes[2] = 0;

        assertDropped(bytes, DropReason.NOT_ETHERNET);
    }

    @Test
    void dropsBootpWithoutMagicCookie() {
        byte[] bytes = PacketFixtures.load("dhclient-discover.hex");
        bytes[236] = 0;

        assertDropped(bytes, DropReason.NOT_DHCP);
    }

    @Test
    void dropsPacketsWithoutMessageType() {
        byte[] bytes = PacketFixtures.load("dhclient-discover.hex");
        int at = indexOfOption(bytes, 53);
        bytes[at] = 100;   // turn option 53 into an unknown option of the same length

        assertDropped(bytes, DropReason.NO_MESSAGE_TYPE);
    }

    @ParameterizedTest(name = "option {0} of length {1}")
    @CsvSource({"50, 3", "51, 5", "54, 0", "57, 1"})
    void dropsFixedLengthOptionsOfTheWrongLength(int code, int length) {
        DHCPPacket request = new DHCPPacket();
        request.setOp((byte) 1);
        request.setChaddr(CAPTURED_MAC.toBytes());
        request.setDHCPMessageType((byte) 3);
        request.setOptionRaw(DhcpOptions.code(code), new byte[length]);

        assertDropped(request.serialize(), DropReason.MALFORMED);
    }

    /** Found by the decoder's property test: dhcp4java kept only the last instance of a repeated option. */
    @Test
    void joinsTheInstancesOfARepeatedOptionAsRfc3396Says() {
        byte[] bytes = withOptionsBeforeEnd(PacketFixtures.load("udhcpc-discover.hex"),
                0x0c, 0x02, 'v', 'm', 0x0c, 0x00, 0x0c, 0x03, '-', 'o', 'k');

        channel.writeInbound(datagram(bytes));
        DhcpDatagram decoded = channel.readInbound();

        // udhcpc's own option 12 ("vm-one") comes first, then the three instances added here.
        assertThat(DhcpOptions.text(decoded.packet(), 12)).hasValue("vm-onevm-ok");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "53 twice (a DISCOVER after the REQUEST) | 350101       | NO_MESSAGE_TYPE",
            "50 twice                                | 3204c000020a | MALFORMED",
    })
    void dropsARepeatedFixedLengthOptionThatRfc3396MakesTooLong(String what, String extra, DropReason reason) {
        byte[] bytes = withOptionsBeforeEnd(PacketFixtures.load("udhcpc-request.hex"),
                HexFormat.of().parseHex(extra.strip()));

        assertDropped(bytes, reason);
    }

    @Test
    void dropsDatagramsLargerThanOneEthernetMtu() {
        byte[] bytes = Arrays.copyOf(PacketFixtures.load("dhclient-discover.hex"), 1501);

        assertDropped(bytes, DropReason.OVERSIZED_REQUEST);
    }

    @Test
    void acceptsADatagramOfExactlyOneMtu() {
        byte[] bytes = Arrays.copyOf(PacketFixtures.load("dhclient-discover.hex"), 1500);   // zero padding after END

        channel.writeInbound(datagram(bytes));

        assertThat((Object) channel.readInbound()).isInstanceOf(DhcpDatagram.class);
    }

    @Test
    void dropsRandomBytesWithoutThrowing() {
        Random random = new Random(42);
        int sent = 2000;
        for (int i = 0; i < sent; i++) {
            byte[] bytes = new byte[random.nextInt(1600)];
            random.nextBytes(bytes);
            if (i % 2 == 0 && bytes.length >= 240) {
                // Half the inputs get a plausible header, so they reach dhcp4java's option parser.
                bytes[0] = 1;
                bytes[1] = 1;
                bytes[2] = 6;
                bytes[236] = 0x63;
                bytes[237] = (byte) 0x82;
                bytes[238] = 0x53;
                bytes[239] = 0x63;
            }
            assertThatCode(() -> channel.writeInbound(datagram(bytes))).doesNotThrowAnyException();
            while (channel.readInbound() != null) {
                // a random packet that happens to be valid is fine; it is counted as received
            }
        }
        DhcpTrafficCounters.Snapshot snapshot = counters.snapshot();
        long received = snapshot.received().values().stream().mapToLong(Long::longValue).sum();
        assertThat(snapshot.droppedTotal() + received).isEqualTo(sent);
        assertThat(snapshot.droppedTotal()).isPositive();
    }

    @Test
    void mutatedRealPacketsNeverEscapeTheDecoder() {
        byte[] original = PacketFixtures.load("dhcpcd-request.hex");
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = original.clone();
            for (int flips = 0; flips < 4; flips++) {
                bytes[240 + random.nextInt(bytes.length - 240)] = (byte) random.nextInt(256);
            }
            assertThatCode(() -> channel.writeInbound(datagram(bytes))).doesNotThrowAnyException();
            DhcpDatagram decoded;
            while ((decoded = channel.readInbound()) != null) {
                // What passes must be safe for the engine's typed getters.
                DHCPPacket packet = decoded.packet();
                assertThatCode(() -> {
                    packet.getDHCPMessageType();
                    packet.getOptionAsInetAddr((byte) 50);
                    packet.getOptionAsInetAddr((byte) 54);
                    packet.getOptionAsShort((byte) 57);
                }).doesNotThrowAnyException();
            }
        }
    }

    private void assertDropped(byte[] bytes, DropReason reason) {
        assertThatCode(() -> channel.writeInbound(datagram(bytes))).doesNotThrowAnyException();

        assertThat((Object) channel.readInbound()).isNull();
        assertThat(counters.snapshot().dropped().get(reason)).isEqualTo(1);
        assertThat(counters.snapshot().droppedTotal()).isEqualTo(1);
    }

    private static DatagramPacket datagram(byte[] bytes) {
        return new DatagramPacket(Unpooled.wrappedBuffer(bytes), BROADCAST, CLIENT);
    }

    private static int[] unsigned(byte[] bytes) {
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xFF;
        }
        return out;
    }

    /** {@code packet} with {@code options} inserted just before its END option. */
    private static byte[] withOptionsBeforeEnd(byte[] packet, int... options) {
        byte[] bytes = new byte[options.length];
        for (int i = 0; i < options.length; i++) {
            bytes[i] = (byte) options[i];
        }
        return withOptionsBeforeEnd(packet, bytes);
    }

    private static byte[] withOptionsBeforeEnd(byte[] packet, byte[] options) {
        int end = indexOfEnd(packet);
        byte[] out = Arrays.copyOf(packet, packet.length + options.length);
        System.arraycopy(options, 0, out, end, options.length);
        System.arraycopy(packet, end, out, end + options.length, packet.length - end);
        return out;
    }

    private static int indexOfEnd(byte[] bytes) {
        int i = 240;
        while ((bytes[i] & 0xFF) != 255) {
            i += bytes[i] == 0 ? 1 : 2 + (bytes[i + 1] & 0xFF);
        }
        return i;
    }

    /** Offset of an option's code byte, walking the option list from the cookie. */
    private static int indexOfOption(byte[] bytes, int code) {
        int i = 240;
        while (i < bytes.length && (bytes[i] & 0xFF) != 255) {
            if ((bytes[i] & 0xFF) == code) {
                return i;
            }
            i += bytes[i] == 0 ? 1 : 2 + (bytes[i + 1] & 0xFF);
        }
        throw new IllegalArgumentException("option " + code + " not in packet");
    }
}
