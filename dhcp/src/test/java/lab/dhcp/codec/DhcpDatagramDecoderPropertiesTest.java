package lab.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.quicktheories.QuickTheory.qt;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import lab.dhcp.engine.ClientContext;
import org.dhcp4java.DHCPOption;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Properties of the decoder under hostile input ({@link HostileRequests}): every datagram is either handed on as a
 * request the engine can read or counted as exactly one drop with the reason {@link ReferenceReading} gives; nothing
 * is thrown; what passes re-encodes to the same request.
 */
class DhcpDatagramDecoderPropertiesTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("0.0.0.0", 68);
    private static final InetSocketAddress BROADCAST = new InetSocketAddress("255.255.255.255", 67);
    /** The drops the decoder itself counts; the others belong to the handler, encoder and shedder. */
    private static final Set<DropReason> DECODER_REASONS = EnumSet.of(DropReason.OVERSIZED_REQUEST,
            DropReason.TRUNCATED, DropReason.MALFORMED, DropReason.NOT_BOOTREQUEST, DropReason.NOT_ETHERNET,
            DropReason.NOT_DHCP, DropReason.NO_MESSAGE_TYPE);
    private static final int EXAMPLES = 3000;

    @Test
    void everyDatagramIsHandedOnOrCountedAsOneDropForItsReason() {
        Map<String, Integer> outcomes = new TreeMap<>();
        qt().withExamples(EXAMPLES).forAll(HostileRequests.anything()).checkAssert(bytes -> {
            Decoded result = decode(bytes);
            ReferenceReading expected = ReferenceReading.of(bytes);
            outcomes.merge(expected.accepted() ? "accepted" : expected.drop().label(), 1, Integer::sum);

            if (expected.accepted()) {
                assertThat(result.datagram).as("handed on").isNotNull();
                assertThat(result.counters.received().get(expected.messageType())).isEqualTo(1);
                assertThat(totalReceived(result.counters)).isEqualTo(1);
                assertThat(result.counters.droppedTotal()).isZero();
                assertThat(options(result.datagram.packet())).as("options, RFC 3396 concatenated")
                        .isEqualTo(hexValues(expected.options()));
                assertThatCode(() -> ClientContext.of(result.datagram)).as("readable by the engine")
                        .doesNotThrowAnyException();
            } else {
                assertThat(result.datagram).as("dropped").isNull();
                assertThat(totalReceived(result.counters)).isZero();
                assertThat(result.counters.droppedTotal()).isEqualTo(1);
                assertThat(result.counters.dropped().get(expected.drop())).as("dropped as " + expected.drop())
                        .isEqualTo(1);
            }
            assertThat(DECODER_REASONS).containsAll(nonZero(result.counters.dropped()).keySet());
        });
        // The inputs reached every outcome, so no check above passed for want of examples.
        assertThat(outcomes.keySet()).as("outcomes %s", outcomes).contains("accepted")
                .containsAll(DECODER_REASONS.stream().map(DropReason::label).toList());
        System.out.println("decoder outcomes over " + EXAMPLES + " hostile datagrams: " + outcomes);
    }

    @Test
    void aRequestHandedOnReEncodesToTheSameRequest() {
        // Most hostile inputs are dropped: allow enough attempts to find the examples that pass.
        qt().withExamples(EXAMPLES).withGenerateAttempts(100_000).forAll(HostileRequests.anything())
                .assuming(bytes -> ReferenceReading.of(bytes).accepted())
                .checkAssert(bytes -> {
                    DHCPPacket packet = decode(bytes).datagram.packet();
                    if (options(packet).values().stream()
                            .anyMatch(hex -> hex.length() > 2 * DhcpOptions.MAX_VALUE_LENGTH)) {
                        // Concatenated past 255 bytes: dhcp4java cannot write it back (no RFC 3396 splitting).
                        return;
                    }

                    byte[] again = packet.serialize();

                    assertThat(Arrays.copyOf(again, OptionSpan.OPTIONS_START)).as("header and cookie")
                            .isEqualTo(Arrays.copyOf(bytes, OptionSpan.OPTIONS_START));
                    ReferenceReading reread = ReferenceReading.of(again);
                    assertThat(reread.accepted()).isTrue();
                    assertThat(hexValues(reread.options())).isEqualTo(hexValues(ReferenceReading.of(bytes).options()));
                    assertThat(options(decode(again).datagram.packet())).isEqualTo(options(packet));
                });
    }

    /** What one datagram produced: the request handed on (or null) and the counters it moved. */
    private record Decoded(DhcpDatagram datagram, DhcpTrafficCounters.Snapshot counters) {
    }

    // One decoder for all examples of a property: its drop log, on a clock that never moves, writes one line only.
    private final DhcpTrafficCounters counters = new DhcpTrafficCounters();
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new DhcpDatagramDecoder(counters, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)));

    @AfterEach
    void channelIsEmpty() {
        assertThat(channel.finish()).isFalse();
    }

    private Decoded decode(byte[] bytes) {
        DhcpTrafficCounters.Snapshot before = counters.snapshot();
        assertThatCode(() -> channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes), BROADCAST, CLIENT)))
                .as("nothing thrown into the pipeline").doesNotThrowAnyException();
        DhcpDatagram datagram = channel.readInbound();
        assertThat((Object) channel.readInbound()).as("at most one request per datagram").isNull();
        return new Decoded(datagram, minus(counters.snapshot(), before));
    }

    private static DhcpTrafficCounters.Snapshot minus(DhcpTrafficCounters.Snapshot after,
                                                      DhcpTrafficCounters.Snapshot before) {
        return new DhcpTrafficCounters.Snapshot(minus(after.received(), before.received()),
                minus(after.sent(), before.sent()), minus(after.dropped(), before.dropped()),
                after.optionsTrimmed() - before.optionsTrimmed());
    }

    private static <K extends Enum<K>> Map<K, Long> minus(Map<K, Long> after, Map<K, Long> before) {
        Map<K, Long> out = new EnumMap<>(after);
        before.forEach((k, v) -> out.merge(k, -v, Long::sum));
        return out;
    }

    /** dhcp4java's options as unsigned code → hex value, in its order. */
    private static Map<Integer, String> options(DHCPPacket packet) {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (DHCPOption option : packet.getOptionsCollection()) {
            out.put(DhcpOptions.unsigned(option.getCode()), HexFormat.of().formatHex(option.getValueFast()));
        }
        return out;
    }

    private static Map<Integer, String> hexValues(Map<Integer, byte[]> options) {
        Map<Integer, String> out = new LinkedHashMap<>();
        options.forEach((code, value) -> out.put(code, HexFormat.of().formatHex(value)));
        return out;
    }

    private static long totalReceived(DhcpTrafficCounters.Snapshot snapshot) {
        return snapshot.received().values().stream().mapToLong(Long::longValue).sum();
    }

    private static <K> Map<K, Long> nonZero(Map<K, Long> counts) {
        Map<K, Long> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> {
            if (v != 0) {
                out.put(k, v);
            }
        });
        return out;
    }
}
