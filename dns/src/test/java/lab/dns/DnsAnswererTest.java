package lab.dns;

import static lab.dns.LabNamesTest.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsAnswererTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private final LabNames names = new LabNames(Clock.fixed(NOW, ZoneOffset.UTC));
    private final ZoneSettings zone = new ZoneSettings("lab.internal", ip("10.20.0.1"),
            List.of(new LabNetwork(ip("10.20.0.1"), 16)), Map.of("waf-edge-1", ip("10.20.0.11")),
            Duration.ofSeconds(10));
    private final DnsCounters counters = new DnsCounters();

    DnsAnswererTest() {
        names.put("02:00:00:aa:00:01", ip("10.20.1.5"), List.of("waf-1", "ip-10-20-1-5"), NOW.plusSeconds(3600));
    }

    private DnsAnswerer answerer(Optional<Forwarder> forwarder) {
        return new DnsAnswerer(new LabZone(zone, names, 1000), forwarder, counters);
    }

    private Message ask(DnsAnswerer answerer, String name, int type) throws IOException {
        return ask(answerer, Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)),
                Transport.UDP);
    }

    private static Message ask(DnsAnswerer answerer, Message query, Transport transport) throws IOException {
        Optional<byte[]> wire = answerer.answer(query.toWire(), transport).toCompletableFuture().join();
        return new Message(wire.orElseThrow());
    }

    @Test
    void aLeasedVmResolvesByQualifiedAndBareName() throws IOException {
        DnsAnswerer answerer = answerer(Optional.empty());
        Message qualified = ask(answerer, "WAF-1.lab.internal.", Type.A);
        Message bare = ask(answerer, "waf-1.", Type.A);

        assertEquals(Rcode.NOERROR, qualified.getRcode());
        assertTrue(qualified.getHeader().getFlag(Flags.AA));
        assertEquals(ip("10.20.1.5"), ((ARecord) qualified.getSection(Section.ANSWER).get(0)).getAddress());
        assertEquals(Name.fromString("WAF-1.lab.internal."), qualified.getSection(Section.ANSWER).get(0).getName(),
                "the owner name keeps the question's case");
        assertEquals(10, qualified.getSection(Section.ANSWER).get(0).getTTL());
        assertEquals(ip("10.20.1.5"), ((ARecord) bare.getSection(Section.ANSWER).get(0)).getAddress());
    }

    @Test
    void dataServerAndFixedNamesResolveWithoutALease() throws IOException {
        DnsAnswerer answerer = answerer(Optional.empty());

        assertEquals(ip("10.20.0.1"), ((ARecord) ask(answerer, "data-server.", Type.A)
                .getSection(Section.ANSWER).get(0)).getAddress());
        assertEquals(ip("10.20.0.1"), ((ARecord) ask(answerer, "data-server.lab.internal.", Type.A)
                .getSection(Section.ANSWER).get(0)).getAddress());
        assertEquals(ip("10.20.0.11"), ((ARecord) ask(answerer, "waf-edge-1.lab.internal.", Type.A)
                .getSection(Section.ANSWER).get(0)).getAddress());
    }

    @Test
    void addressesResolveBackToQualifiedNames() throws IOException {
        DnsAnswerer answerer = answerer(Optional.empty());

        assertEquals(Name.fromString("waf-1.lab.internal."), ((PTRRecord) ask(answerer,
                ReverseMap.fromAddress("10.20.1.5").toString(), Type.PTR).getSection(Section.ANSWER).get(0))
                .getTarget());
        assertEquals(Name.fromString("waf-edge-1.lab.internal."), ((PTRRecord) ask(answerer,
                "11.0.20.10.in-addr.arpa.", Type.PTR).getSection(Section.ANSWER).get(0)).getTarget());
        Message unknown = ask(answerer, "99.9.20.10.in-addr.arpa.", Type.PTR);
        assertEquals(Rcode.NXDOMAIN, unknown.getRcode());
        assertEquals(Name.fromString("20.10.in-addr.arpa."), unknown.getSection(Section.AUTHORITY).get(0).getName());
    }

    @Test
    void anUnknownNameInTheZoneIsNxdomainWithTheSoa() throws IOException {
        Message answer = ask(answerer(Optional.empty()), "nobody.lab.internal.", Type.A);

        assertEquals(Rcode.NXDOMAIN, answer.getRcode());
        assertTrue(answer.getHeader().getFlag(Flags.AA));
        SOARecord soa = (SOARecord) answer.getSection(Section.AUTHORITY).get(0);
        assertEquals(Name.fromString("lab.internal."), soa.getName());
        assertEquals(10, soa.getMinimum());
        assertEquals(1, counters.nxdomain());
    }

    @Test
    void anotherTypeOfAKnownNameIsNoData() throws IOException {
        Message answer = ask(answerer(Optional.empty()), "waf-1.lab.internal.", Type.AAAA);

        assertEquals(Rcode.NOERROR, answer.getRcode());
        assertTrue(answer.getSection(Section.ANSWER).isEmpty());
        assertEquals(Type.SOA, answer.getSection(Section.AUTHORITY).get(0).getType());
    }

    @Test
    void theApexHasSoaAndNsNamingTheAppliance() throws IOException {
        DnsAnswerer answerer = answerer(Optional.empty());
        Message soa = ask(answerer, "lab.internal.", Type.SOA);
        Message ns = ask(answerer, "lab.internal.", Type.NS);
        Message reverseSoa = ask(answerer, "20.10.in-addr.arpa.", Type.SOA);

        assertEquals(Name.fromString("data-server.lab.internal."),
                ((SOARecord) soa.getSection(Section.ANSWER).get(0)).getHost());
        assertEquals(Name.fromString("data-server.lab.internal."),
                ((NSRecord) ns.getSection(Section.ANSWER).get(0)).getTarget());
        assertEquals(ip("10.20.0.1"), ((ARecord) ns.getSection(Section.ADDITIONAL).get(0)).getAddress());
        assertEquals(Type.SOA, reverseSoa.getSection(Section.ANSWER).get(0).getType());
    }

    @Test
    void theSoaSerialMovesWhenALeaseChanges() throws IOException {
        DnsAnswerer answerer = answerer(Optional.empty());
        long before = ((SOARecord) ask(answerer, "lab.internal.", Type.SOA).getSection(Section.ANSWER).get(0))
                .getSerial();
        names.put("02:00:00:aa:00:02", ip("10.20.1.6"), List.of("waf-2"), NOW.plusSeconds(60));
        long after = ((SOARecord) ask(answerer, "lab.internal.", Type.SOA).getSection(Section.ANSWER).get(0))
                .getSerial();

        assertTrue(after > before);
    }

    @Test
    void outsideNamesAreRefusedWithoutForwarders() throws IOException {
        Message answer = ask(answerer(Optional.empty()), "example.org.", Type.A);

        assertEquals(Rcode.REFUSED, answer.getRcode());
        assertFalse(answer.getHeader().getFlag(Flags.RA));
    }

    @Test
    void outsideNamesAreForwardedUnderTheClientsId() throws IOException {
        AtomicReference<Message> sent = new AtomicReference<>();
        Forwarder upstream = query -> {
            sent.set(query);
            Message reply = new Message(query.getHeader().getID() ^ 0x5555);
            reply.getHeader().setFlag(Flags.QR);
            reply.addRecord(query.getQuestion(), Section.QUESTION);
            reply.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 300, ip("192.0.2.7")),
                    Section.ANSWER);
            return CompletableFuture.completedFuture(reply);
        };
        Message query = Message.newQuery(Record.newRecord(Name.fromString("example.org."), Type.A, DClass.IN));
        Message answer = ask(answerer(Optional.of(upstream)), query, Transport.UDP);

        assertNotNull(sent.get());
        assertEquals(query.getHeader().getID(), answer.getHeader().getID());
        assertTrue(answer.getHeader().getFlag(Flags.RA));
        assertEquals(ip("192.0.2.7"), ((ARecord) answer.getSection(Section.ANSWER).get(0)).getAddress());
        assertEquals(1, counters.forwarded());
    }

    @Test
    void aFailedForwardIsServfail() throws IOException {
        Forwarder silent = query -> CompletableFuture.failedFuture(new java.net.SocketTimeoutException("timed out"));

        Message answer = ask(answerer(Optional.of(silent)), "example.org.", Type.A);

        assertEquals(Rcode.SERVFAIL, answer.getRcode());
        assertEquals(1, counters.forwardFailures());
    }

    /** An upstream that holds 60 addresses for every name: about 1 KB of answer. */
    private static final Forwarder SIXTY_ADDRESSES = query -> {
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.addRecord(query.getQuestion(), Section.QUESTION);
        for (int i = 1; i <= 60; i++) {
            reply.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 300, ip("192.0.2." + i)),
                    Section.ANSWER);
        }
        return CompletableFuture.completedFuture(reply);
    };

    @Test
    void aLongAnswerIsTruncatedOverUdpAndWholeOverTcp() throws IOException {
        DnsAnswerer answerer = answerer(Optional.of(SIXTY_ADDRESSES));
        Message query = Message.newQuery(Record.newRecord(Name.fromString("many.example.org."), Type.A, DClass.IN));
        byte[] udp = answerer.answer(query.toWire(), Transport.UDP).toCompletableFuture().join().orElseThrow();
        Message overUdp = new Message(udp);
        Message overTcp = ask(answerer, query, Transport.TCP);

        assertTrue(udp.length <= DnsAnswerer.CLASSIC_UDP_PAYLOAD);
        assertTrue(overUdp.getHeader().getFlag(Flags.TC));
        assertFalse(overTcp.getHeader().getFlag(Flags.TC));
        assertEquals(60, overTcp.getSection(Section.ANSWER).size());
        assertEquals(1, counters.truncated());
    }

    @Test
    void ednsRaisesTheUdpLimitAndIsAnsweredInKind() throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString("many.example.org."), Type.A, DClass.IN));
        query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        byte[] udp = answerer(Optional.of(SIXTY_ADDRESSES)).answer(query.toWire(), Transport.UDP).toCompletableFuture().join()
                .orElseThrow();
        Message answer = new Message(udp);

        assertFalse(answer.getHeader().getFlag(Flags.TC), "60 A records fit in 1232 bytes");
        assertTrue(udp.length <= DnsAnswerer.MAX_UDP_PAYLOAD);
        assertEquals(DnsAnswerer.MAX_UDP_PAYLOAD, answer.getOPT().getPayloadSize());
    }

    @Test
    void anUnknownEdnsVersionIsBadvers() throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString("waf-1.lab.internal."), Type.A, DClass.IN));
        query.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);

        Message answer = ask(answerer(Optional.empty()), query, Transport.UDP);

        assertEquals(Rcode.BADVERS, answer.getRcode());
        assertEquals(0, answer.getOPT().getVersion());
    }

    @Test
    void otherOpcodesAreNotImplementedAndZoneTransfersRefused() throws IOException {
        Message notify = Message.newQuery(Record.newRecord(Name.fromString("lab.internal."), Type.SOA, DClass.IN));
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        DnsAnswerer answerer = answerer(Optional.empty());

        assertEquals(Rcode.NOTIMP, ask(answerer, notify, Transport.UDP).getRcode());
        assertEquals(Rcode.REFUSED, ask(answerer, "lab.internal.", Type.AXFR).getRcode());
    }

    @Test
    void garbageWithAHeaderIsFormerrAndShorterGarbageIsDropped() throws IOException {
        DnsAnswerer answerer = answerer(Optional.empty());
        byte[] header = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 'b', 'r'};

        Message formerr = new Message(answerer.answer(header, Transport.UDP).toCompletableFuture().join()
                .orElseThrow());
        assertEquals(Rcode.FORMERR, formerr.getRcode());
        assertEquals(0x1234, formerr.getHeader().getID());
        assertNull(formerr.getQuestion());
        assertTrue(answerer.answer(new byte[] {1, 2, 3}, Transport.UDP).toCompletableFuture().join().isEmpty());
        assertEquals(2, counters.malformed());
    }

    @Test
    void responsesAreNeverAnswered() throws IOException {
        Message response = Message.newQuery(Record.newRecord(Name.fromString("waf-1."), Type.A, DClass.IN));
        response.getHeader().setFlag(Flags.QR);

        assertTrue(answerer(Optional.empty()).answer(response.toWire(), Transport.UDP).toCompletableFuture().join()
                .isEmpty());
    }

    @Test
    void theAnswerEchoesIdQuestionAndRecursionDesired() throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString("waf-1."), Type.A, DClass.IN));
        Message answer = ask(answerer(Optional.empty()), query, Transport.UDP);

        assertEquals(query.getHeader().getID(), answer.getHeader().getID());
        assertTrue(answer.getHeader().getFlag(Flags.QR));
        assertTrue(answer.getHeader().getFlag(Flags.RD));
        assertArrayEquals(query.getQuestion().toWireCanonical(), answer.getQuestion().toWireCanonical());
    }
}
