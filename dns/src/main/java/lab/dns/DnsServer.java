package lab.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab DNS server: one UDP socket and one TCP listener on the appliance's address, port 53, both tied to the
 * served interface, on one event-loop thread. Answers come from the lab zone, built from {@link LabNames} and
 * {@link ZoneSettings}; {@link #reload} swaps the settings in while the sockets stay open.
 */
public final class DnsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);

    /** setsockopt(SOL_SOCKET = 1, SO_BINDTODEVICE = 25, char[IFNAMSIZ = 16]). */
    private static final RawUnixChannelOption SO_BINDTODEVICE = new RawUnixChannelOption("SO_BINDTODEVICE", 1, 25, 16);
    /** Datagrams read per wake-up: a burst of questions is answered and flushed in one cycle. */
    private static final int READS_PER_CYCLE = 64;
    private static final int DATAGRAM_BUFFER = 4096;
    /** An idle TCP connection is closed after this (RFC 7766 §6.2.3 suggests seconds, not minutes). */
    static final int TCP_IDLE_SECONDS = 10;
    static final int MAX_TCP_CONNECTIONS = 256;

    private final DnsSettings settings;
    private final LabNames names;
    private final DnsCounters counters = new DnsCounters();
    private final DnsAnswerer answerer;
    private final ClientRateLimit rateLimit;
    private final long serialBase;
    private final TcpConnectionLimit connections = new TcpConnectionLimit(MAX_TCP_CONNECTIONS);
    private EventLoopGroup group;
    private Channel udp;
    private Channel tcp;

    public DnsServer(DnsSettings settings, ZoneSettings zone, LabNames names, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.names = Objects.requireNonNull(names, "names");
        // SOA serials grow across restarts: seconds since the epoch at start, plus one per change since.
        this.serialBase = clock.instant().getEpochSecond();
        Optional<Forwarder> forwarder = settings.forwarders().isEmpty() ? Optional.empty()
                : Optional.of(new UpstreamForwarder(settings.forwarders()));
        this.answerer = new DnsAnswerer(new LabZone(zone, names, serialBase), forwarder, counters);
        this.rateLimit = new ClientRateLimit(settings.rateLimitPerSecond());
    }

    /** Opens both sockets; on failure neither stays open. */
    public synchronized void start() throws IOException {
        if (group != null) {
            throw new IllegalStateException("DNS server already started on " + settings.listen());
        }
        if (!Epoll.isAvailable()) {
            throw new IOException("DNS needs Netty's epoll transport: " + Epoll.unavailabilityCause());
        }
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("dns-io"),
                EpollIoHandler.newFactory());
        try {
            Bootstrap datagrams = new Bootstrap()
                    .group(loop)
                    .channel(EpollDatagramChannel.class)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(DATAGRAM_BUFFER).maxMessagesPerRead(READS_PER_CYCLE))
                    .handler(new UdpQueryHandler(answerer, rateLimit, counters));
            Channel openedUdp = datagrams.register().sync().channel();
            bindToDevice(openedUdp);
            openedUdp.bind(settings.listen()).sync();
            udp = openedUdp;
            ServerBootstrap streams = new ServerBootstrap()
                    .group(loop)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(
                                    connections,
                                    new IdleStateHandler(0, 0, TCP_IDLE_SECONDS, TimeUnit.SECONDS),
                                    new LengthFieldBasedFrameDecoder(DnsAnswerer.MAX_TCP_MESSAGE + 2, 0, 2, 0, 2),
                                    new LengthFieldPrepender(2),
                                    new TcpQueryHandler(answerer));
                        }
                    });
            Channel openedTcp = streams.register().sync().channel();
            bindToDevice(openedTcp);
            openedTcp.bind(settings.listen()).sync();
            tcp = openedTcp;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(loop);
            throw new IOException("interrupted while opening DNS sockets on " + settings.listen(), e);
        } catch (Exception e) {
            abandon(loop);
            throw new IOException("cannot open DNS on " + describe() + ": " + e.getMessage(), e);
        }
        group = loop;
        LOG.info("DNS server listening address={} interface={} forwarders={} names={}", localAddress(),
                settings.device().orElse("(any)"), settings.forwarders(), names.size());
    }

    /** Makes {@code zone} the one answered from now on (reload): fixed names, domain, subnets and TTL. */
    public void reload(ZoneSettings zone) {
        answerer.swap(new LabZone(zone, names, serialBase));
    }

    /** The UDP socket's bound address (the real port when the settings asked for port 0). */
    public synchronized InetSocketAddress localAddress() {
        if (udp == null) {
            throw new IllegalStateException("DNS server not started");
        }
        return (InetSocketAddress) udp.localAddress();
    }

    /** The TCP listener's bound address. */
    public synchronized InetSocketAddress tcpAddress() {
        if (tcp == null) {
            throw new IllegalStateException("DNS server not started");
        }
        return (InetSocketAddress) tcp.localAddress();
    }

    public DnsCounters counters() {
        return counters;
    }

    private void bindToDevice(Channel channel) {
        settings.device().ifPresent(device -> {
            ByteBuffer name = ByteBuffer.allocateDirect(SO_BINDTODEVICE.length());
            name.put(device.getBytes(StandardCharsets.US_ASCII));
            name.position(0);
            channel.config().setOption(SO_BINDTODEVICE, name);
        });
    }

    private String describe() {
        return settings.listen() + settings.device().map(d -> " (interface " + d + ")").orElse("");
    }

    private void abandon(EventLoopGroup loop) {
        if (udp != null) {
            udp.close().awaitUninterruptibly();
            udp = null;
        }
        if (tcp != null) {
            tcp.close().awaitUninterruptibly();
            tcp = null;
        }
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Override
    public synchronized void close() {
        if (group == null) {
            return;
        }
        abandon(group);
        group = null;
        LOG.info("DNS server stopped address={}", settings.listen());
    }
}
