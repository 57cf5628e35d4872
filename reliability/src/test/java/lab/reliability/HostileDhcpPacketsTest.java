package lab.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import lab.dhcp.MacAddress;
import lab.dhcp.codec.DhcpDatagram;
import lab.dhcp.codec.DhcpDatagramDecoder;
import lab.dhcp.codec.DhcpTrafficCounters;
import lab.dhcp.codec.DropReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each kind of hostile packet is what it says, as the appliance's own decoder sees it. */
class HostileDhcpPacketsTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("0.0.0.0", 68);
    private static final InetSocketAddress BROADCAST = new InetSocketAddress("255.255.255.255", 67);
    private static final byte[] SERVER = {10, 20, 0, 1};
    private static final int PACKETS = 2000;

    private final DhcpTrafficCounters counters = new DhcpTrafficCounters();
    private final EmbeddedChannel decoder = new EmbeddedChannel(new DhcpDatagramDecoder(counters, Clock.systemUTC()));

    @AfterEach
    void channelIsEmpty() {
        assertThat(decoder.finish()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(HostileDhcpPackets.Kind.class)
    void everyKindIsDecodedOrDroppedAsItsNameSays(HostileDhcpPackets.Kind kind) {
        HostileDhcpPackets packets = new HostileDhcpPackets(SERVER, 10 << 24 | 20 << 16, kind.ordinal());
        int passed = 0;
        for (int i = 0; i < PACKETS; i++) {
            byte[] packet = packets.next(kind);
            DatagramPacket datagram = new DatagramPacket(Unpooled.wrappedBuffer(packet), BROADCAST, CLIENT);
            assertThatCode(() -> decoder.writeInbound(datagram)).doesNotThrowAnyException();
            DhcpDatagram decoded = decoder.readInbound();
            if (decoded != null) {
                passed++;
                check(kind, decoded);
            }
        }
        Map<DropReason, Long> dropped = new EnumMap<>(counters.snapshot().dropped());
        dropped.values().removeIf(n -> n == 0);
        switch (kind) {
            case TRUNCATED, OPTION_PAST_END -> assertThat(dropped).containsOnlyKeys(DropReason.TRUNCATED);
            case BAD_COOKIE -> assertThat(dropped).containsOnlyKeys(DropReason.NOT_DHCP);
            case BOOTREPLY -> assertThat(dropped).containsOnlyKeys(DropReason.NOT_BOOTREQUEST);
            case OVERLONG_OPTION, HUGE_HOPS, WEIRD_VALID -> assertThat(dropped).as("all pass the decoder").isEmpty();
            case RANDOM_BYTES, MUTATED -> assertThat(dropped.keySet()).as("some of each, never a reply's reason")
                    .isNotEmpty().isSubsetOf(Set.of(DropReason.OVERSIZED_REQUEST, DropReason.TRUNCATED,
                            DropReason.MALFORMED, DropReason.NOT_BOOTREQUEST, DropReason.NOT_ETHERNET,
                            DropReason.NOT_DHCP, DropReason.NO_MESSAGE_TYPE));
        }
        long droppedTotal = counters.snapshot().droppedTotal();
        assertThat(passed + droppedTotal).isEqualTo(PACKETS);
        System.out.printf("%s: %d of %d passed the decoder, dropped %s%n", kind, passed, PACKETS, dropped);
    }

    private static void check(HostileDhcpPackets.Kind kind, DhcpDatagram decoded) {
        switch (kind) {
            case OVERLONG_OPTION -> assertThat(java.util.stream.IntStream.of(55, 61, 81)
                    .map(code -> decoded.packet().containsOption((byte) code)
                            ? decoded.packet().getOptionRaw((byte) code).length : 0).max().getAsInt())
                    .isGreaterThanOrEqualTo(255);
            case HUGE_HOPS -> assertThat(decoded.packet().getHops() & 0xFF).isGreaterThan(16);
            case WEIRD_VALID -> assertThat(MacAddress.of(decoded.packet().getChaddr()).toString())
                    .startsWith("02:66:00:00:0");
            default -> {
            }
        }
    }
}
