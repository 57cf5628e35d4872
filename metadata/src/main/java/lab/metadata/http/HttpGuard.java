package lab.metadata.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The front of the pipeline every HTTP server of the appliance runs (metadata, CloudStack password, admin API), so
 * hostile input meets the same defences everywhere: connection caps, a request deadline and an idle timeout, a
 * codec bounded by {@link HttpLimits} with strict framing, a status for whatever it refuses, a bounded aggregator.
 * A server binds its {@link HttpListeners} with the guard (which refuses connections past a cap as they are accepted)
 * and its initializer calls {@link #protect} before adding its own handler, which sees only well-formed
 * {@code FullHttpRequest}s within the limits.
 *
 * <p>Pipeline: {@code idle}, {@code deadline} ({@link RequestDeadlineHandler}: raw bytes, and the idle event),
 * {@code codec}, {@code refusals} ({@link RequestRefusalHandler}: 400, 414, 431, and 413 for the aggregator),
 * {@code aggregator} ({@link BoundedBodyAggregator}). Every refusal closes the connection.
 */
public final class HttpGuard {

    private final String server;
    private final HttpLimits limits;
    private final RefusalFormat format;
    private final HttpRefusalCounters counters = new HttpRefusalCounters();
    private final ConnectionQuotaHandler quota;

    /**
     * @param server names the server in logs ({@code metadata}, {@code password}, {@code admin})
     * @param format how the server words a refused request
     */
    public HttpGuard(String server, HttpLimits limits, RefusalFormat format) {
        this.server = Objects.requireNonNull(server, "server");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.format = Objects.requireNonNull(format, "format");
        this.quota = new ConnectionQuotaHandler(server, limits.maxConnections(), limits.maxConnectionsPerAddress(),
            counters);
    }

    /**
     * The handler of the server's listening channels ({@link HttpListeners} installs it): it refuses a connection
     * past a cap as it is accepted.
     */
    ChannelHandler acceptor() {
        return quota;
    }

    /** Adds the guard's handlers to a new connection's pipeline; the server's own handler goes after them. */
    public void protect(Channel channel) {
        RequestDeadlineHandler deadline = new RequestDeadlineHandler(server, limits.requestDeadline(), counters);
        RequestRefusalHandler refusals = new RequestRefusalHandler(server, limits, format, counters, deadline);
        channel.pipeline()
            .addLast("idle", new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
            .addLast("deadline", deadline)
            .addLast("codec", new HttpServerCodec(decoderConfig(limits)))
            .addLast("refusals", refusals)
            .addLast("aggregator", new BoundedBodyAggregator(limits.maxBodyBytes(), refusals));
    }

    /** What this guard refused so far. */
    public HttpRefusalCounters counters() {
        return counters;
    }

    /** Connections holding a slot now. */
    public int openConnections() {
        return quota.open();
    }

    public HttpLimits limits() {
        return limits;
    }

    /**
     * Netty 4.2's defaults already reject ambiguous framing; they are spelled out because each can be flipped by a
     * system property ({@code io.netty.handler.codec.http.rfc9112TransferEncoding}, …) and this is a security choice,
     * not a default to inherit.
     */
    static HttpDecoderConfig decoderConfig(HttpLimits limits) {
        return new HttpDecoderConfig()
            .setMaxInitialLineLength(limits.maxRequestLineBytes())
            .setMaxHeaderSize(limits.maxHeaderBytes())
            // RFC 9112 §6.3: Transfer-Encoding with Content-Length, or a final coding other than chunked, is an error.
            .setUseRfc9112TransferEncoding(true)
            // Two Content-Length headers, even equal ones, are refused rather than merged.
            .setAllowDuplicateContentLengths(false)
            // A bare LF ends no line: a peer that parses it differently could be fed a second, hidden request.
            .setStrictLineParsing(true)
            .setValidateHeaders(true);
    }
}
