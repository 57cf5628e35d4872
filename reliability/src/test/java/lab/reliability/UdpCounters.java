package lab.reliability;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lab.appliance.netns.Namespace;

/**
 * The kernel's UDP counters of one network namespace ({@code Udp:} lines of {@code /proc/net/snmp}, which is per
 * namespace): what reached a socket ({@code InDatagrams}), what was dropped because the socket's buffer was full
 * ({@code RcvbufErrors}, also counted in {@code InErrors}), what found no socket ({@code NoPorts}).
 *
 * @param values counter name → value
 */
record UdpCounters(Map<String, Long> values) {

    static UdpCounters of(Namespace namespace) {
        String snmp = namespace.exec("cat", "/proc/net/snmp").requireSuccess().output();
        List<String> udp = snmp.lines().filter(line -> line.startsWith("Udp: ")).toList();
        if (udp.size() != 2) {
            throw new IllegalStateException("no Udp: lines in /proc/net/snmp of " + namespace.name() + ":\n" + snmp);
        }
        String[] names = udp.get(0).split("\\s+");
        String[] numbers = udp.get(1).split("\\s+");
        Map<String, Long> values = new TreeMap<>();
        for (int i = 1; i < names.length; i++) {
            values.put(names[i], Long.parseLong(numbers[i]));
        }
        return new UdpCounters(values);
    }

    long get(String name) {
        Long value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no UDP counter " + name + " in " + values.keySet());
        }
        return value;
    }

    /** Each counter's growth since {@code before}. */
    UdpCounters since(UdpCounters before) {
        Map<String, Long> delta = new TreeMap<>();
        values.forEach((name, value) -> delta.put(name, value - before.values.getOrDefault(name, 0L)));
        return new UdpCounters(delta);
    }
}
