package lab.dhcp.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import lab.dhcp.codec.DhcpTrafficCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCP UDP socket: one epoll datagram channel on one event-loop thread, bound to the served interface.
 *
 * <p>Socket options, each set explicitly and checked, because Netty's bootstrap only logs a failed option and
 * carries on, and a silently missing SO_BINDTODEVICE makes this a rogue DHCP server on every network:
 * SO_BINDTODEVICE (through the raw option: the JDK cannot name an interface) so the socket hears only the served
 * interface and broadcast replies leave by it; SO_BROADCAST for replies to 255.255.255.255; SO_REUSEADDR so
 * sockets bound to other interfaces can share port 67; IP_RECVORIGDSTADDR so a request's recipient is where it
 * was sent (broadcast or our address) rather than the socket's wildcard address; a large SO_RCVBUF for
 * bursts of booting clients; and a large send buffer ({@link DhcpSocketSettings#DEFAULT_SEND_BUFFER}), set with
 * SO_SNDBUFFORCE so that net.core.wmem_max does not cap it (the service has CAP_NET_ADMIN; without it, SO_SNDBUF and
 * whatever the kernel allows), with Netty's write-buffer watermarks well inside it so the handler sees a send queue
 * that stays full.
 */
public final class DhcpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DhcpServer.class);

    /** setsockopt(SOL_SOCKET = 1, SO_BINDTODEVICE = 25, char[IFNAMSIZ = 16]). */
    private static final RawUnixChannelOption SO_BINDTODEVICE = new RawUnixChannelOption("SO_BINDTODEVICE", 1, 25, 16);

    /** setsockopt(SOL_SOCKET = 1, SO_SNDBUFFORCE = 32, int): a send buffer past net.core.wmem_max (CAP_NET_ADMIN). */
    private static final RawUnixChannelOption SO_SNDBUFFORCE = new RawUnixChannelOption("SO_SNDBUFFORCE", 1, 32, 4);

    /**
     * Replies Netty may hold once the kernel takes no more, 256 KiB (some 400): past it the channel is unwritable and
     * the handler drops new replies at once, instead of queueing them in memory without bound for clients that will
     * have retransmitted or given up by the time they leave.
     */
    private static final WriteBufferWaterMark PENDING_REPLIES = new WriteBufferWaterMark(128 * 1024, 256 * 1024);

    /** Room for the largest datagram accepted (1500) with margin; anything cut at this size is oversized anyway. */
    private static final int DATAGRAM_BUFFER = 2048;
    /**
     * Datagrams read per wake-up of the event loop (Netty's fixed allocator reads one by default): a burst is read,
     * answered and sent in one cycle, and a full cycle tells {@link SocketBacklog} that more is waiting.
     */
    static final int READS_PER_CYCLE = 64;

    // Linux errno values, as Netty's native exceptions carry them (negated).
    private static final int EPERM = 1;
    private static final int EACCES = 13;
    private static final int ENODEV = 19;
    private static final int EADDRINUSE = 98;

    private final DhcpSocketSettings settings;
    private final DhcpServerInitializer initializer;
    private EventLoopGroup group;
    private Channel channel;

    public DhcpServer(DhcpSocketSettings settings, DhcpResponder responder, DhcpTrafficCounters counters,
                      Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.initializer = new DhcpServerInitializer(responder, counters, clock);
    }

    /**
     * Opens and binds the socket.
     *
     * @throws DhcpBindException naming interface, address and cause when epoll is unavailable or any socket
     *                           option or the bind fails; {@link DhcpBindException#addressInUse()} tells a
     *                           port held by another process (dnsmasq) apart
     */
    public synchronized void start() throws DhcpBindException {
        if (channel != null) {
            throw new IllegalStateException("DHCP server already started on " + channel.localAddress());
        }
        if (!Epoll.isAvailable()) {
            throw bindFailure(DhcpBindException.Reason.EPOLL_UNAVAILABLE, Epoll.unavailabilityCause());
        }
        requireInterface();
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("dhcp-io"),
                EpollIoHandler.newFactory());
        Channel opened = null;
        try {
            opened = new Bootstrap()
                    .group(loop)
                    .channel(EpollDatagramChannel.class)
                    .handler(initializer)
                    .register().sync().channel();
            configure(opened.config());
            opened.bind(settings.bindAddress()).sync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(opened, loop);
            throw bindFailure(DhcpBindException.Reason.OTHER, e);
        } catch (Exception e) {
            abandon(opened, loop);
            throw bindFailure(classify(e), e);
        }
        group = loop;
        channel = opened;
        LOG.info("DHCP server listening interface={} address={} send_buffer={}",
                settings.interfaceName() == null ? "(any)" : settings.interfaceName(), opened.localAddress(),
                opened.config().getOption(ChannelOption.SO_SNDBUF));
    }

    /** The bound address (its port is the real one when the settings asked for port 0). */
    public synchronized InetSocketAddress localAddress() {
        if (channel == null) {
            throw new IllegalStateException("DHCP server not started");
        }
        return (InetSocketAddress) channel.localAddress();
    }

    /** Closes the socket and stops the event loop; replies still in flight are dropped. Idempotent. */
    @Override
    public synchronized void close() {
        if (channel == null) {
            return;
        }
        abandon(channel, group);
        LOG.info("DHCP server stopped address={}", settings.bindAddress());
        channel = null;
        group = null;
    }

    /**
     * Checks the interface exists, because the native setsockopt reports ENODEV only as text in an exception
     * without an errno.
     */
    private void requireInterface() throws DhcpBindException {
        if (settings.interfaceName() == null) {
            return;
        }
        try {
            if (NetworkInterface.getByName(settings.interfaceName()) == null) {
                throw bindFailure(DhcpBindException.Reason.NO_SUCH_INTERFACE, null);
            }
        } catch (SocketException e) {
            throw bindFailure(DhcpBindException.Reason.OTHER, e);
        }
    }

    private void configure(ChannelConfig config) {
        if (settings.interfaceName() != null) {
            ByteBuffer name = ByteBuffer.allocateDirect(SO_BINDTODEVICE.length());
            name.put(settings.interfaceName().getBytes(StandardCharsets.US_ASCII));
            name.position(0);   // NUL-padded to 16 bytes: a direct buffer starts zeroed
            config.setOption(SO_BINDTODEVICE, name);
        }
        config.setOption(ChannelOption.SO_REUSEADDR, true);
        config.setOption(ChannelOption.SO_BROADCAST, true);
        config.setOption(ChannelOption.SO_RCVBUF, settings.receiveBufferBytes());
        setSendBuffer(config, settings.sendBufferBytes());
        config.setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, PENDING_REPLIES);
        config.setOption(EpollChannelOption.IP_RECVORIGDSTADDR, true);
        config.setOption(ChannelOption.RECVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(DATAGRAM_BUFFER).maxMessagesPerRead(READS_PER_CYCLE));
    }

    private static void setSendBuffer(ChannelConfig config, int bytes) {
        ByteBuffer value = ByteBuffer.allocateDirect(SO_SNDBUFFORCE.length()).order(ByteOrder.nativeOrder());
        value.putInt(0, bytes);
        try {
            config.setOption(SO_SNDBUFFORCE, value);
        } catch (ChannelException e) {
            // EPERM without CAP_NET_ADMIN: the kernel then caps SO_SNDBUF at net.core.wmem_max, which is logged.
            config.setOption(ChannelOption.SO_SNDBUF, bytes);
        }
    }

    /** The socket's send buffer as the kernel reports it (twice what was asked: it counts its bookkeeping). */
    public synchronized int sendBufferBytes() {
        if (channel == null) {
            throw new IllegalStateException("DHCP server not started");
        }
        return channel.config().getOption(ChannelOption.SO_SNDBUF);
    }

    private static void abandon(Channel opened, EventLoopGroup loop) {
        if (opened != null) {
            opened.close().awaitUninterruptibly();
        }
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private DhcpBindException bindFailure(DhcpBindException.Reason reason, Throwable cause) {
        return new DhcpBindException(reason, settings.interfaceName(), settings.bindAddress(), cause);
    }

    /** Reads the errno from Netty's native exception, wherever it sits in the cause chain. */
    private static DhcpBindException.Reason classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Errors.NativeIoException nativeError) {
                return switch (-nativeError.expectedErr()) {
                    case EADDRINUSE -> DhcpBindException.Reason.ADDRESS_IN_USE;
                    case EACCES, EPERM -> DhcpBindException.Reason.PERMISSION_DENIED;
                    case ENODEV -> DhcpBindException.Reason.NO_SUCH_INTERFACE;
                    default -> DhcpBindException.Reason.OTHER;
                };
            }
            if (t instanceof java.net.BindException) {
                return DhcpBindException.Reason.ADDRESS_IN_USE;
            }
            // setsockopt failures arrive as a ChannelException carrying only strerror() text.
            String message = String.valueOf(t.getMessage());
            if (message.contains("Operation not permitted") || message.contains("Permission denied")) {
                return DhcpBindException.Reason.PERMISSION_DENIED;
            }
        }
        return DhcpBindException.Reason.OTHER;
    }
}
