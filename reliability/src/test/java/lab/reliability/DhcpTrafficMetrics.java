package lab.reliability;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DHCP traffic counters as the appliance's Prometheus endpoint shows them ({@code dhcp_packets_received_total},
 * {@code …_sent_total} by type, {@code dhcp_packets_dropped_total} by reason; see ApplianceMetrics).
 *
 * @param received requests decoded, by message type
 * @param sent     replies sent, by message type
 * @param dropped  packets dropped, by reason (shedder, decoder, handler and encoder alike)
 */
record DhcpTrafficMetrics(Map<String, Long> received, Map<String, Long> sent, Map<String, Long> dropped) {

    private static final Set<String> DECODED_DROPS = Set.of("no_reply", "lease_not_stored", "responder_error",
            "oversized_reply", "unencodable_reply", "send_failed", "send_backlog");
    private static final Pattern SAMPLE = Pattern.compile(
            "^dhcp_packets_(received|sent|dropped)_total\\{(?:type|reason)=\"([^\"]+)\"} (\\S+)$", Pattern.MULTILINE);

    static DhcpTrafficMetrics parse(String exposition) {
        Map<String, Long> received = new TreeMap<>();
        Map<String, Long> sent = new TreeMap<>();
        Map<String, Long> dropped = new TreeMap<>();
        Matcher m = SAMPLE.matcher(exposition);
        while (m.find()) {
            long value = (long) Double.parseDouble(m.group(3));
            switch (m.group(1)) {
                case "received" -> received.put(m.group(2), value);
                case "sent" -> sent.put(m.group(2), value);
                default -> dropped.put(m.group(2), value);
            }
        }
        if (received.isEmpty() || dropped.isEmpty()) {
            throw new IllegalArgumentException("no DHCP packet counters in the metrics:\n" + exposition);
        }
        return new DhcpTrafficMetrics(received, sent, dropped);
    }

    static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every datagram the DHCP socket read ends once: as a reply sent or as a drop, whatever stage counted it. */
    long datagramsEnded() {
        return total(sent) + total(dropped);
    }

    /**
     * Drops of requests that had been decoded, but for {@code overloaded}, which the shedder (before decoding) and
     * the handler (after) share: no reply, lease not stored, responder, encoder or send failure, send queue full.
     */
    long droppedAfterDecoding() {
        return dropped.entrySet().stream()
                .filter(e -> DECODED_DROPS.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
    }

}
