package lab.dns;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns one query's bytes into its response's bytes: the lab zone's answer, an upstream's (when forwarders are
 * set), or an error code; never an answer to a response, and nothing at all for bytes that are not a DNS header.
 * EDNS (RFC 6891): a query with an OPT record gets one back, version 0 only (BADVERS otherwise), and its payload size
 * bounds the UDP answer; anything longer is cut with the TC bit set, so the client asks again over TCP.
 */
public final class DnsAnswerer {

    private static final Logger LOG = LoggerFactory.getLogger(DnsAnswerer.class);

    /** Without EDNS a UDP answer is at most this long (RFC 1035 §4.2.1). */
    static final int CLASSIC_UDP_PAYLOAD = 512;
    /** The largest UDP answer sent and the payload size advertised: fits any path's MTU without fragmenting. */
    static final int MAX_UDP_PAYLOAD = 1232;
    static final int MAX_TCP_MESSAGE = 65_535;
    private static final int HEADER_LENGTH = 12;

    private final AtomicReference<LabZone> zone;
    private final Optional<Forwarder> forwarder;
    private final DnsCounters counters;

    DnsAnswerer(LabZone zone, Optional<Forwarder> forwarder, DnsCounters counters) {
        this.zone = new AtomicReference<>(Objects.requireNonNull(zone, "zone"));
        this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** Answers from {@code next} from now on (a reload changed fixed names or the TTL). */
    void swap(LabZone next) {
        zone.set(Objects.requireNonNull(next, "next"));
    }

    /** The response to send, completed at once unless forwarded; empty means send nothing. */
    CompletionStage<Optional<byte[]>> answer(byte[] wire, Transport transport) {
        counters.questions.increment();
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(malformed(wire, e));
        }
        Header header = query.getHeader();
        if (header.getFlag(Flags.QR)) {
            counters.malformed.increment();
            return CompletableFuture.completedFuture(Optional.empty());
        }
        OPTRecord opt = query.getOPT();
        int limit = transport == Transport.TCP ? MAX_TCP_MESSAGE : udpLimit(opt);
        if (header.getOpcode() != Opcode.QUERY) {
            return done(error(query, Rcode.NOTIMP, opt), limit);
        }
        Record question = query.getQuestion();
        if (question == null || header.getCount(Section.QUESTION) != 1) {
            counters.malformed.increment();
            return done(error(query, Rcode.FORMERR, opt), limit);
        }
        if (opt != null && opt.getVersion() != 0) {
            return done(error(query, Rcode.BADVERS, opt), limit);
        }
        int type = question.getType();
        boolean internetClass = question.getDClass() == DClass.IN || question.getDClass() == DClass.ANY;
        if (!internetClass || type == Type.AXFR || type == Type.IXFR) {
            counters.refused.increment();
            return done(error(query, Rcode.REFUSED, opt), limit);
        }
        Optional<ZoneAnswer> local = zone.get().answer(question.getName(), type);
        if (local.isPresent()) {
            counters.answeredFromZone.increment();
            if (local.get().rcode() == Rcode.NXDOMAIN) {
                counters.nxdomain.increment();
            }
            return done(fromZone(query, local.get(), opt), limit);
        }
        if (forwarder.isEmpty()) {
            counters.refused.increment();
            return done(error(query, Rcode.REFUSED, opt), limit);
        }
        counters.forwarded.increment();
        return forwarder.get().forward(query).handle((upstream, failure) -> {
            if (failure != null) {
                counters.forwardFailures.increment();
                LOG.debug("forwarding failed name={} type={}: {}", question.getName(), Type.string(type),
                        failure.toString());
                return encode(error(query, Rcode.SERVFAIL, opt), limit);
            }
            return encode(relayed(query, upstream, opt), limit);
        });
    }

    private Optional<byte[]> malformed(byte[] wire, IOException e) {
        counters.malformed.increment();
        if (wire.length < HEADER_LENGTH || (wire[2] & 0x80) != 0) {
            LOG.debug("dropped: not a DNS query ({} bytes): {}", wire.length, e.getMessage());
            return Optional.empty();
        }
        // The header was readable: say FORMERR under the query's id, with no question echoed.
        Header header = new Header(((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF));
        header.setFlag(Flags.QR);
        header.setOpcode((wire[2] >> 3) & 0xF);
        header.setRcode(Rcode.FORMERR);
        Message response = new Message();
        response.setHeader(header);
        LOG.debug("answered FORMERR: {}", e.getMessage());
        return Optional.of(response.toWire());
    }

    private static int udpLimit(OPTRecord opt) {
        if (opt == null) {
            return CLASSIC_UDP_PAYLOAD;
        }
        return Math.max(CLASSIC_UDP_PAYLOAD, Math.min(opt.getPayloadSize(), MAX_UDP_PAYLOAD));
    }

    private Message fromZone(Message query, ZoneAnswer answer, OPTRecord opt) {
        Message response = reply(query, answer.rcode(), opt);
        if (answer.authoritative()) {
            response.getHeader().setFlag(Flags.AA);
        }
        answer.answer().forEach(r -> response.addRecord(r, Section.ANSWER));
        answer.authority().forEach(r -> response.addRecord(r, Section.AUTHORITY));
        answer.additional().forEach(r -> response.addRecord(r, Section.ADDITIONAL));
        return response;
    }

    private Message relayed(Message query, Message upstream, OPTRecord opt) {
        Message response = reply(query, upstream.getRcode(), opt);
        // Never AA: what an upstream said is not this server's authority, even when the upstream had it.
        if (upstream.getHeader().getFlag(Flags.AD)) {
            response.getHeader().setFlag(Flags.AD);
        }
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record record : upstream.getSection(section)) {
                if (record.getType() != Type.OPT) {
                    response.addRecord(record, section);
                }
            }
        }
        return response;
    }

    private Message error(Message query, int rcode, OPTRecord opt) {
        return reply(query, rcode, opt);
    }

    /** A response to {@code query}: its id, question and RD bit; RA when there is somewhere to recurse to. */
    private Message reply(Message query, int rcode, OPTRecord opt) {
        Header header = new Header(query.getHeader().getID());
        header.setFlag(Flags.QR);
        header.setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        if (forwarder.isPresent()) {
            header.setFlag(Flags.RA);
        }
        if (query.getHeader().getFlag(Flags.CD)) {
            header.setFlag(Flags.CD);
        }
        // The header holds the low four bits; an extended code (BADVERS) keeps the rest in the OPT record.
        header.setRcode(rcode & 0xF);
        Message response = new Message();
        response.setHeader(header);
        Record question = query.getQuestion();
        if (question != null && header.getOpcode() == Opcode.QUERY) {
            response.addRecord(question, Section.QUESTION);
        }
        if (opt != null) {
            response.addRecord(new OPTRecord(MAX_UDP_PAYLOAD, rcode >>> 4, 0, 0), Section.ADDITIONAL);
        } else if (rcode > 0xF) {
            header.setRcode(Rcode.SERVFAIL);
        }
        return response;
    }

    private CompletionStage<Optional<byte[]>> done(Message response, int limit) {
        return CompletableFuture.completedFuture(encode(response, limit));
    }

    private Optional<byte[]> encode(Message response, int limit) {
        byte[] wire = response.toWire(limit);
        if ((wire[2] & 0x02) != 0) {
            counters.truncated.increment();
        }
        return Optional.of(wire);
    }
}
