package lab.reliability;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends hostile DHCP requests ({@link HostileDhcpPackets}) from port 68 to a server's port 67, half to the limited
 * broadcast address and half to the server's unicast address, until a count or a deadline, whichever comes first, at
 * an optional rate. Run it inside a lab namespace, never on the host's own network:
 *
 * <pre>java -cp … lab.reliability.HostileDhcpSender --server 10.20.0.1 --count 1000000 --seconds 600 [--rate 5000]
 *     [--seed 1] [--report FILE]</pre>
 *
 * <p>At the end it prints one line,
 * {@code hostile-dhcp-sender sent=… send_errors=… broadcast=… unicast=… seconds=…} followed by the count of each
 * kind, and writes the same as {@code key=value} lines to the report file if one is named. A send the kernel refuses
 * (no buffer) is counted as a send error and not as sent.
 */
public final class HostileDhcpSender {

    private static final int CLIENT_PORT = 68;
    private static final int SERVER_PORT = 67;
    private static final long MAX_COUNT = 100_000_000L;
    private static final Duration MAX_DURATION = Duration.ofHours(2);

    private final InetSocketAddress unicast;
    private final InetSocketAddress broadcast = new InetSocketAddress("255.255.255.255", SERVER_PORT);
    private final HostileDhcpPackets packets;
    private final long count;
    private final Duration duration;
    private final int rate;

    HostileDhcpSender(Inet4Address server, long count, Duration duration, int rate, long seed) {
        boolean bounded = count >= 1 && count <= MAX_COUNT && !duration.isNegative()
                && duration.compareTo(MAX_DURATION) <= 0;
        if (!bounded || rate < 0) {
            throw new IllegalArgumentException("count 1.." + MAX_COUNT + ", duration up to " + MAX_DURATION
                    + " and a rate >= 0 required");
        }
        byte[] address = server.getAddress();
        int subnet = (address[0] & 0xFF) << 24 | (address[1] & 0xFF) << 16;
        this.unicast = new InetSocketAddress(server, SERVER_PORT);
        this.packets = new HostileDhcpPackets(address, subnet, seed);
        this.count = count;
        this.duration = duration;
        this.rate = rate;
    }

    /** What was sent. */
    record Report(long sent, long sendErrors, long broadcast, long unicast, double seconds,
                  Map<HostileDhcpPackets.Kind, Long> byKind) {

        Map<String, String> asMap() {
            Map<String, String> out = new LinkedHashMap<>();
            out.put("sent", Long.toString(sent));
            out.put("send_errors", Long.toString(sendErrors));
            out.put("broadcast", Long.toString(broadcast));
            out.put("unicast", Long.toString(unicast));
            out.put("seconds", String.format(Locale.ROOT, "%.1f", seconds));
            byKind.forEach((kind, n) -> out.put("kind." + kind.name().toLowerCase(Locale.ROOT), Long.toString(n)));
            return out;
        }
    }

    Report run() throws IOException {
        Map<HostileDhcpPackets.Kind, Long> byKind = new EnumMap<>(HostileDhcpPackets.Kind.class);
        for (HostileDhcpPackets.Kind kind : HostileDhcpPackets.Kind.values()) {
            byKind.put(kind, 0L);
        }
        long sent = 0;
        long errors = 0;
        long toBroadcast = 0;
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(CLIENT_PORT));
            for (long i = 0; i < count; i++) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    break;
                }
                if (rate > 0) {
                    long due = start + i * 1_000_000_000L / rate;
                    if (due > now) {
                        LockSupport.parkNanos(due - now);
                    }
                }
                HostileDhcpPackets.Kind kind = packets.nextKind();
                byte[] packet = packets.next(kind);
                boolean toAll = (i & 1) == 0;
                try {
                    channel.send(ByteBuffer.wrap(packet), toAll ? broadcast : unicast);
                    sent++;
                    byKind.merge(kind, 1L, Long::sum);
                    if (toAll) {
                        toBroadcast++;
                    }
                } catch (IOException e) {
                    // ENOBUFS and the like: the kernel did not take it, so it does not count as sent.
                    errors++;
                }
            }
        }
        return new Report(sent, errors, toBroadcast, sent - toBroadcast, (System.nanoTime() - start) / 1e9, byKind);
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage(System.err, "unexpected argument " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0 || !options.containsKey("server")) {
            usage(System.err, "--server is required and every option takes a value");
        }
        Inet4Address server = (Inet4Address) InetAddress.getByName(options.get("server"));
        HostileDhcpSender sender = new HostileDhcpSender(server,
                Long.parseLong(options.getOrDefault("count", "100000")),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "60"))),
                Integer.parseInt(options.getOrDefault("rate", "0")),
                Long.parseLong(options.getOrDefault("seed", "1")));
        Report report = sender.run();
        StringBuilder line = new StringBuilder("hostile-dhcp-sender");
        report.asMap().forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        System.out.println(line);
        if (options.containsKey("report")) {
            StringBuilder text = new StringBuilder();
            report.asMap().forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
            Files.writeString(Path.of(options.get("report")), text, StandardCharsets.UTF_8);
        }
    }

    private static void usage(PrintStream err, String problem) {
        err.println("HostileDhcpSender: " + problem);
        err.println("usage: --server ADDR [--count N] [--seconds S] [--rate PPS] [--seed N] [--report FILE]");
        System.exit(2);
    }
}
