package lab.dhcp.codec;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Packet counters of one DHCP server: requests received and replies sent by message type, packets dropped by
 * reason, and options removed from replies to make them fit. Safe to update from any thread.
 */
public final class DhcpTrafficCounters {

    private final Map<DhcpMessageType, LongAdder> received = adders(DhcpMessageType.class);
    private final Map<DhcpMessageType, LongAdder> sent = adders(DhcpMessageType.class);
    private final Map<DropReason, LongAdder> dropped = adders(DropReason.class);
    private final LongAdder optionsTrimmed = new LongAdder();

    /** Counts a request that was decoded and handed to the responder. */
    public void received(DhcpMessageType type) {
        received.get(type).increment();
    }

    /** Counts a reply the socket accepted. */
    public void sent(DhcpMessageType type) {
        sent.get(type).increment();
    }

    /** Counts a packet that was dropped. */
    public void dropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    /** Counts one option removed from a reply (too long, or to fit the client's maximum message size). */
    public void optionTrimmed() {
        optionsTrimmed.increment();
    }

    /** A consistent-enough copy for metrics: each counter is read once, all keys present. */
    public Snapshot snapshot() {
        return new Snapshot(sums(received, DhcpMessageType.class), sums(sent, DhcpMessageType.class),
                sums(dropped, DropReason.class), optionsTrimmed.sum());
    }

    /** Counter values at one moment; the maps hold every key, zeros included, and are read-only. */
    public record Snapshot(Map<DhcpMessageType, Long> received, Map<DhcpMessageType, Long> sent,
                           Map<DropReason, Long> dropped, long optionsTrimmed) {

        public Snapshot {
            received = Collections.unmodifiableMap(new EnumMap<>(received));
            sent = Collections.unmodifiableMap(new EnumMap<>(sent));
            dropped = Collections.unmodifiableMap(new EnumMap<>(dropped));
        }

        /** All drops, whatever the reason. */
        public long droppedTotal() {
            return dropped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static <K extends Enum<K>> Map<K, LongAdder> adders(Class<K> keys) {
        Map<K, LongAdder> map = new EnumMap<>(keys);
        for (K key : keys.getEnumConstants()) {
            map.put(key, new LongAdder());
        }
        return Collections.unmodifiableMap(map);
    }

    private static <K extends Enum<K>> Map<K, Long> sums(Map<K, LongAdder> adders, Class<K> keys) {
        Map<K, Long> map = new EnumMap<>(keys);
        adders.forEach((key, adder) -> map.put(key, adder.sum()));
        return map;
    }
}
