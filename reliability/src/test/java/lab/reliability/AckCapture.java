package lab.reliability;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.appliance.netns.BackgroundProcess;
import lab.appliance.netns.NetnsLab;
import lab.appliance.netns.Namespace;

/**
 * tcpdump in the storm's namespace, writing every DHCP reply the server sends to a pcap file from {@link #start} until
 * {@link #stop}, which reads the ACKs back with {@link PcapAcks}.
 */
final class AckCapture {

    /**
     * What one capture saw.
     *
     * @param acks   the DHCPACKs in the file
     * @param missed packets that matched the filter but never reached the file (dropped by the kernel, or still
     *               queued when tcpdump stopped): ACKs this capture cannot vouch for
     */
    record Result(List<AckedLease> acks, long missed) {
    }

    private static final Pattern CAPTURED = Pattern.compile("(\\d+) packets? captured");
    private static final Pattern RECEIVED = Pattern.compile("(\\d+) packets? received by filter");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    /** Once the server is dead the file stops growing; this long without growth means tcpdump has written all. */
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final BackgroundProcess tcpdump;
    private final Path pcap;

    private AckCapture(BackgroundProcess tcpdump, Path pcap) {
        this.tcpdump = tcpdump;
        this.pcap = pcap;
    }

    /**
     * Starts tcpdump on {@code device} in {@code namespace}, capturing UDP from {@code serverAddress} port 67 into
     * {@code pcap}, and waits until it is listening, so no reply of the storm that follows can slip past it.
     */
    static AckCapture start(NetnsLab lab, Namespace namespace, String device, String serverAddress, Path pcap)
            throws IOException {
        // --immediate-mode hands each packet over as it arrives (else the kernel holds them in blocks of the ring
        // buffer, and a SIGTERM loses what a block still holds); -U writes each one out at once; -B gives the kernel
        // room for a burst; -Z root keeps tcpdump from dropping to a user who cannot write the test's directory.
        BackgroundProcess tcpdump = lab.track(namespace.spawn("tcpdump", pcap.resolveSibling("tcpdump.out"),
                List.of("tcpdump", "-i", device, "-n", "--immediate-mode", "-U", "-B", "16384", "-s", "0", "-Z",
                        "root", "-w",
                        pcap.toString(), "udp and src host " + serverAddress + " and src port 67")));
        await("tcpdump listening on " + device).atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> !tcpdump.isAlive() || tcpdump.output().contains("listening on"));
        if (!tcpdump.isAlive()) {
            throw new IllegalStateException("tcpdump exited before it was listening:\n" + tcpdump.output());
        }
        return new AckCapture(tcpdump, pcap);
    }

    /**
     * Once the server has stopped sending: waits until the file has stopped growing, stops tcpdump (SIGTERM) and
     * reads the ACKs it captured.
     */
    Result stop() throws IOException {
        long size = -1;
        long quietSince = System.nanoTime();
        long deadline = quietSince + DRAIN_TIMEOUT.toNanos();
        while (System.nanoTime() - quietSince < QUIET.toNanos() && System.nanoTime() < deadline) {
            long now = Files.exists(pcap) ? Files.size(pcap) : 0;
            if (now != size) {
                size = now;
                quietSince = System.nanoTime();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        tcpdump.terminate(Duration.ofSeconds(30));
        String summary = tcpdump.output();
        long missed = count(RECEIVED, summary) - count(CAPTURED, summary);
        return new Result(PcapAcks.read(pcap), missed);
    }

    private long count(Pattern pattern, String summary) {
        Matcher matcher = pattern.matcher(summary);
        if (!matcher.find()) {
            throw new IllegalStateException("tcpdump printed no '" + pattern.pattern() + "' line:\n" + summary);
        }
        return Long.parseLong(matcher.group(1));
    }
}
