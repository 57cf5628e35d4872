package lab.dhcp.engine;

import static org.dhcp4java.DHCPConstants.BOOTREQUEST;
import static org.dhcp4java.DHCPConstants.DHCPACK;
import static org.dhcp4java.DHCPConstants.DHCPDISCOVER;
import static org.dhcp4java.DHCPConstants.DHCPOFFER;
import static org.dhcp4java.DHCPConstants.DHCPREQUEST;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_REQUESTED_ADDRESS;
import static org.dhcp4java.DHCPConstants.DHO_DHCP_SERVER_IDENTIFIER;
import static org.dhcp4java.DHCPConstants.HTYPE_ETHER;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import lab.dhcp.Ipv4;
import lab.dhcp.MacAddress;
import lab.dhcp.alloc.AddressPool;
import lab.dhcp.alloc.PendingOffers;
import lab.dhcp.codec.DhcpDatagram;
import lab.dhcp.codec.DhcpDatagramDecoder;
import lab.dhcp.codec.DhcpReply;
import lab.dhcp.codec.DhcpReplyEncoder;
import lab.dhcp.codec.DhcpTrafficCounters;
import lab.dhcp.lease.LeaseJournal;
import lab.dhcp.lease.LeaseTable;
import org.dhcp4java.DHCPPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs synthetic DORAs through the DHCP decoder, an engine with the served settings and pools, and the encoder, on a
 * throw-away lease journal, before the socket opens: so that a boot storm right after a start meets compiled code.
 * A cold JVM pinned to one core answered about 150 packets/s for its first seconds, its compiler competing for the
 * same core, and under a flood the requests it reached had already been given up on by their clients.
 *
 * <p>Touches nothing of the real server: no socket, no lease table, no pending offers, no inventory (the catalog is
 * empty, so no profile is assigned), no listener. Leases are durable in a temporary directory, deleted afterwards.
 */
public final class DhcpWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(DhcpWarmUp.class);
    /** Exchanges in flight at once: enough for group commit to batch, as under real load. */
    private static final int BATCH = 64;
    private static final InetSocketAddress FROM_CLIENT = new InetSocketAddress(Ipv4.fromInt(0), 68);
    private static final InetSocketAddress TO_BROADCAST = new InetSocketAddress(Ipv4.fromInt(-1), 67);
    private static final long COMMIT_TIMEOUT_SECONDS = 10;

    /** What a warm-up did. */
    public record Result(int exchanges, Duration took) {
    }

    private final DhcpSettings settings;
    private final List<AddressPool> pools;

    public DhcpWarmUp(DhcpSettings settings, List<AddressPool> pools) {
        this.settings = settings;
        this.pools = List.copyOf(pools);
    }

    /** Runs up to {@code exchanges} DORAs, stopping early at {@code budget}; none when the pools hold fewer than 2. */
    public Result run(int exchanges, Duration budget) throws IOException {
        long started = System.nanoTime();
        long deadline = started + budget.toNanos();
        long poolSize = pools.stream().mapToLong(AddressPool::size).sum();
        // Distinct clients, reused round after round: a small pool must not run dry (it would only warm the misses).
        int clients = (int) Math.min(poolSize / 2, 1024);
        if (exchanges <= 0 || clients < 1) {
            return new Result(0, Duration.ZERO);
        }
        Path scratch = Files.createTempDirectory("appliance-dhcp-warm-up");
        Clock clock = Clock.systemUTC();
        DhcpTrafficCounters counters = new DhcpTrafficCounters();
        EmbeddedChannel codec = new EmbeddedChannel(new DhcpDatagramDecoder(counters, clock),
                new DhcpReplyEncoder(counters, clock));
        int done = 0;
        try (LeaseTable leases = new LeaseTable(new LeaseJournal(scratch), clock)) {
            leases.open();
            DhcpEngine engine = new DhcpEngine(settings, pools, leases, new PendingOffers(clock, Duration.ofSeconds(30)),
                    HostCatalog.empty(), DhcpEventListener.NONE, clock);
            int next = 0;
            while (done < exchanges && System.nanoTime() < deadline) {
                List<DHCPPacket> offers = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    answer(engine, codec, discover(MacAddress.of(mac(next++ % clients))), offers);
                }
                List<CompletableFuture<Optional<DhcpReply>>> acks = new ArrayList<>();
                for (DHCPPacket offer : offers) {
                    acks.add(engine.respond(decode(codec, request(offer)), Runnable::run).toCompletableFuture());
                }
                for (CompletableFuture<Optional<DhcpReply>> ack : acks) {
                    Optional<DhcpReply> reply = await(ack);
                    if (reply.isPresent() && encode(codec, reply.get()).getDHCPMessageType() == DHCPACK) {
                        done++;
                    }
                }
            }
        } finally {
            codec.finishAndReleaseAll();
            deleteQuietly(scratch);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("DHCP path warmed up exchanges={} seconds={}", done, String.format("%.1f", took.toMillis() / 1000.0));
        return new Result(done, took);
    }

    private static void answer(DhcpEngine engine, EmbeddedChannel codec, byte[] discover, List<DHCPPacket> offers) {
        Optional<DhcpReply> reply = await(engine.respond(decode(codec, discover), Runnable::run).toCompletableFuture());
        if (reply.isPresent()) {
            DHCPPacket offer = encode(codec, reply.get());
            if (offer.getDHCPMessageType() == DHCPOFFER) {
                offers.add(offer);
            }
        }
    }

    private static DhcpDatagram decode(EmbeddedChannel codec, byte[] wire) {
        codec.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(wire), TO_BROADCAST, FROM_CLIENT));
        DhcpDatagram decoded = codec.readInbound();
        if (decoded == null) {
            throw new IllegalStateException("the warm-up's own request was dropped by the decoder");
        }
        return decoded;
    }

    private static DHCPPacket encode(EmbeddedChannel codec, DhcpReply reply) {
        codec.writeOutbound(reply);
        DatagramPacket out = codec.readOutbound();
        try {
            byte[] bytes = new byte[out.content().readableBytes()];
            out.content().readBytes(bytes);
            return DHCPPacket.getPacket(bytes, 0, bytes.length, false);
        } finally {
            out.release();
        }
    }

    private static Optional<DhcpReply> await(CompletableFuture<Optional<DhcpReply>> reply) {
        try {
            return reply.get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the DHCP warm-up", e);
        } catch (Exception e) {
            throw new IllegalStateException("the DHCP warm-up failed: " + e, e);
        }
    }

    private static byte[] discover(MacAddress mac) {
        return packet(mac, DHCPDISCOVER).serialize();
    }

    private static byte[] request(DHCPPacket offer) {
        DHCPPacket p = packet(MacAddress.of(offer.getChaddr()), DHCPREQUEST);
        p.setXid(offer.getXid());
        p.setOptionAsInetAddress(DHO_DHCP_SERVER_IDENTIFIER, offer.getOptionAsInetAddr(DHO_DHCP_SERVER_IDENTIFIER));
        p.setOptionAsInetAddress(DHO_DHCP_REQUESTED_ADDRESS, offer.getYiaddr());
        return p.serialize();
    }

    private static DHCPPacket packet(MacAddress mac, byte type) {
        DHCPPacket p = new DHCPPacket();
        p.setOp(BOOTREQUEST);
        p.setHtype(HTYPE_ETHER);
        p.setHlen((byte) 6);
        p.setXid(mac.hashCode());
        p.setChaddr(mac.toBytes());
        p.setDhcp(true);
        p.setDHCPMessageType(type);
        return p;
    }

    /** A locally administered MAC (02:57:…, "W") that no real client of the lab uses. */
    private static byte[] mac(int n) {
        return new byte[] {0x02, 0x57, 0, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("warm-up directory not deleted dir={}", dir, e);
        }
    }
}
