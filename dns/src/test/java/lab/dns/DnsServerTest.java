package lab.dns;

import static lab.dns.LabNamesTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The server on loopback, asked by dnsjava's own stub over UDP and TCP. */
class DnsServerTest {

    private final LabNames names = new LabNames(Clock.systemUTC());
    private DnsServer server;

    @BeforeEach
    void start() throws Exception {
        ZoneSettings zone = new ZoneSettings("lab.internal", ip("10.20.0.1"),
                List.of(new LabNetwork(ip("10.20.0.1"), 16)), Map.of(), Duration.ofSeconds(10));
        server = new DnsServer(new DnsSettings(new InetSocketAddress("127.0.0.1", 0), Optional.empty(), List.of(), 5),
                zone, names, Clock.systemUTC());
        server.start();
        names.put("02:00:00:aa:00:01", ip("10.20.1.5"), List.of("waf-1"), Instant.now().plusSeconds(600));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Message ask(InetSocketAddress at, boolean tcp, String name) throws Exception {
        SimpleResolver resolver = new SimpleResolver(at);
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(2));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
    }

    @Test
    void answersOverUdpAndTcp() throws Exception {
        Message udp = ask(server.localAddress(), false, "waf-1.lab.internal.");
        Message tcp = ask(server.tcpAddress(), true, "waf-1.lab.internal.");

        assertEquals(ip("10.20.1.5"), ((ARecord) udp.getSection(Section.ANSWER).get(0)).getAddress());
        assertEquals(ip("10.20.1.5"), ((ARecord) tcp.getSection(Section.ANSWER).get(0)).getAddress());
    }

    @Test
    void aNameFollowsItsLeaseAtOnce() throws Exception {
        names.put("02:00:00:aa:00:01", ip("10.20.1.9"), List.of("waf-1"), Instant.now().plusSeconds(600));

        assertEquals(ip("10.20.1.9"), ((ARecord) ask(server.localAddress(), false, "waf-1.")
                .getSection(Section.ANSWER).get(0)).getAddress());
        names.remove("02:00:00:aa:00:01", ip("10.20.1.9"));
        assertEquals(Rcode.NXDOMAIN, ask(server.localAddress(), false, "waf-1.lab.internal.").getRcode());
    }

    @Test
    void aFloodingClientIsDroppedAndTheServerKeepsAnswering() throws Exception {
        byte[] query = Message.newQuery(Record.newRecord(Name.fromString("waf-1."), Type.A, DClass.IN)).toWire();
        int answered = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(300);
            for (int i = 0; i < 40; i++) {
                socket.send(new DatagramPacket(query, query.length, server.localAddress()));
            }
            byte[] buffer = new byte[512];
            try {
                for (int i = 0; i < 40; i++) {
                    socket.receive(new DatagramPacket(buffer, buffer.length));
                    answered++;
                }
            } catch (java.net.SocketTimeoutException drained) {
                // every answer that came has been counted
            }
        }
        assertTrue(answered >= 10 && answered < 40, "a burst of 2 x 5 answered, then dropped: " + answered);
        assertTrue(server.counters().rateLimited() > 0);
        assertEquals(ip("10.20.1.5"), ((ARecord) ask(server.tcpAddress(), true, "waf-1.")
                .getSection(Section.ANSWER).get(0)).getAddress(), "TCP is not rate-limited");
        socketGarbageIsSurvived();
    }

    private void socketGarbageIsSurvived() throws Exception {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(server.tcpAddress(), 2000);
            socket.getOutputStream().write(new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2, 3});
        }
        assertEquals(ip("10.20.1.5"), ((ARecord) ask(server.tcpAddress(), true, "waf-1.")
                .getSection(Section.ANSWER).get(0)).getAddress());
    }
}
