package lab.dns;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * Forwards to the configured upstream servers through dnsjava's resolver: each upstream is tried in turn with a
 * timeout, a truncated UDP answer is asked again over TCP, and the upstream's answer (rcode included) comes back as
 * it was, to be sent to the client under the client's own message id.
 */
final class UpstreamForwarder implements Forwarder {

    /** Per upstream; a stub resolver typically gives up after 5 s, so two upstreams fit in one client try. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** The EDNS payload size asked of upstreams, the DNS flag day 2020 default. */
    static final int PAYLOAD = 1232;

    private static final SecureRandom IDS = new SecureRandom();

    private final Resolver resolver;

    UpstreamForwarder(List<InetSocketAddress> upstreams) {
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("no upstream server");
        }
        SimpleResolver[] each = upstreams.stream().map(UpstreamForwarder::simple).toArray(SimpleResolver[]::new);
        ExtendedResolver all = new ExtendedResolver(each);
        all.setLoadBalance(false);
        all.setRetries(1);
        all.setTimeout(TIMEOUT.multipliedBy(upstreams.size()));
        this.resolver = all;
    }

    private static SimpleResolver simple(InetSocketAddress upstream) {
        SimpleResolver simple = new SimpleResolver(upstream);
        simple.setTimeout(TIMEOUT);
        simple.setEDNS(0, PAYLOAD, 0, List.of());
        return simple;
    }

    @Override
    public CompletionStage<Message> forward(Message query) {
        Message upstream = query.clone();
        // The upstream gets our own EDNS record and a fresh id: the client's id is guessable by whoever sent it.
        upstream.removeAllRecords(org.xbill.DNS.Section.ADDITIONAL);
        upstream.getHeader().setID(IDS.nextInt(0x10000));
        return resolver.sendAsync(upstream);
    }
}
