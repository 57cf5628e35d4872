package lab.dns;

import java.util.List;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * What the lab zone says to one question: a response code, whether it speaks with authority (the lab domain and
 * its reverse zones; bare host names are answered without), and the records of each section.
 */
record ZoneAnswer(int rcode, boolean authoritative, List<Record> answer, List<Record> authority,
        List<Record> additional) {

    ZoneAnswer {
        answer = List.copyOf(answer);
        authority = List.copyOf(authority);
        additional = List.copyOf(additional);
    }

    static ZoneAnswer found(boolean authoritative, List<Record> answer, List<Record> additional) {
        return new ZoneAnswer(Rcode.NOERROR, authoritative, answer, List.of(), additional);
    }

    /** The name exists but has no record of the type asked (NODATA): the SOA tells how long to remember that. */
    static ZoneAnswer noData(boolean authoritative, List<Record> soa) {
        return new ZoneAnswer(Rcode.NOERROR, authoritative, List.of(), soa, List.of());
    }

    static ZoneAnswer noSuchName(boolean authoritative, List<Record> soa) {
        return new ZoneAnswer(Rcode.NXDOMAIN, authoritative, List.of(), soa, List.of());
    }
}
