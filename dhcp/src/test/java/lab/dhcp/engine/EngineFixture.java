package lab.dhcp.engine;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import lab.dhcp.MacAddress;
import lab.dhcp.alloc.AddressPool;
import lab.dhcp.alloc.PendingOffers;
import lab.dhcp.codec.ClasslessRoute;
import lab.dhcp.lease.LeaseJournal;
import lab.dhcp.lease.LeaseStore;
import lab.dhcp.lease.LeaseTable;

/**
 * A DHCP engine on a real lease table in a temporary directory, serving 192.0.2.0/24 from 192.0.2.1 with a ten-address
 * pool 192.0.2.100-109 and one reservation (02:00:00:00:01:01 → 192.0.2.11 "waf-edge-1", profile "waf"), on a
 * hand-moved clock.
 */
public final class EngineFixture implements AutoCloseable {

    public static final Inet4Address SERVER = ip("192.0.2.1");
    public static final MacAddress RESERVED_MAC = MacAddress.parse("02:00:00:00:01:01");
    public static final Inet4Address RESERVED_IP = ip("192.0.2.11");
    public static final AddressPool POOL = new AddressPool(ip("192.0.2.100"), ip("192.0.2.109"));
    public static final Duration LEASE_TIME = Duration.ofHours(1);
    public static final Duration DECLINE_HOLD = Duration.ofMinutes(10);
    public static final Duration OFFER_HOLD = Duration.ofSeconds(30);

    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    public final Path stateDir;
    public final LeaseTable leases;
    public final PendingOffers offers;
    public final DhcpSettings settings;
    public final DhcpEngine engine;

    public EngineFixture(Path stateDir) throws IOException {
        this(stateDir, DhcpEventListener.NONE);
    }

    public EngineFixture(Path stateDir, DhcpEventListener events) throws IOException {
        this(stateDir, events, PendingOffers.DEFAULT_LIMIT);
    }

    /** @param offerLimit how many offers may await their REQUEST before new clients are shed */
    public EngineFixture(Path stateDir, DhcpEventListener events, int offerLimit) throws IOException {
        this(stateDir, new LeaseJournal(stateDir), events, offerLimit);
    }

    /** On {@code store} instead of a journal of its own in {@code stateDir} (a store that fails, say). */
    public EngineFixture(Path stateDir, LeaseStore store) throws IOException {
        this(stateDir, store, DhcpEventListener.NONE, PendingOffers.DEFAULT_LIMIT);
    }

    private EngineFixture(Path stateDir, LeaseStore store, DhcpEventListener events, int offerLimit)
            throws IOException {
        this.stateDir = stateDir;
        this.leases = new LeaseTable(store, clock);
        leases.open();
        this.offers = new PendingOffers(clock, OFFER_HOLD, offerLimit);
        this.settings = settings();
        this.engine = new DhcpEngine(settings, List.of(POOL), leases, offers, catalog(), events, clock);
    }

    public TestDhcpClient client(String mac) {
        return new TestDhcpClient(engine, MacAddress.parse(mac));
    }

    /** The n-th test MAC 02:00:00:00:00:nn. */
    public TestDhcpClient client(int n) {
        return client(String.format("02:00:00:00:00:%02x", n));
    }

    /** The served settings: 192.0.2.0/24, this server as router and DNS, the metadata route. */
    public static DhcpSettings settings() {
        return new DhcpSettings(SERVER, 24, Optional.of(SERVER), List.of(SERVER), Optional.of("lab.example.org"),
                List.of(SERVER), OptionalInt.of(1500),
                List.of(new ClasslessRoute(ip("169.254.169.254"), 32, SERVER), new ClasslessRoute(ip("0.0.0.0"), 0, SERVER)),
                LEASE_TIME, LEASE_TIME.dividedBy(2), LEASE_TIME.multipliedBy(7).dividedBy(8), DECLINE_HOLD);
    }

    public static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static HostCatalog catalog() {
        Map<MacAddress, HostEntry> byMac = Map.of(RESERVED_MAC,
                new HostEntry(Optional.of(RESERVED_IP), Optional.of("waf-edge-1"), "waf"));
        return new HostCatalog() {
            @Override
            public HostEntry lookup(MacAddress mac, Optional<String> vendorClass) {
                return byMac.getOrDefault(mac, HostEntry.unknown());
            }

            @Override
            public Optional<Inet4Address> fixedAddress(MacAddress mac) {
                return mac.equals(RESERVED_MAC) ? Optional.of(RESERVED_IP) : Optional.empty();
            }

            @Override
            public Optional<MacAddress> reservedFor(Inet4Address ip) {
                return ip.equals(RESERVED_IP) ? Optional.of(RESERVED_MAC) : Optional.empty();
            }

            @Override
            public boolean knows(MacAddress mac, Optional<String> vendorClass) {
                return mac.equals(RESERVED_MAC);
            }
        };
    }

    private boolean closed;

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            leases.close();
        }
    }
}
