package lab.metadata.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Netty's aggregator, except that a body over the limit (announced by Content-Length or reached by chunks) is
 * refused through the {@link RequestRefusalHandler}: 413 in the server's format, counted, connection closed. Netty's
 * own answer keeps a keep-alive connection open and reads on, discarding the rest of a body that may never end.
 */
final class BoundedBodyAggregator extends HttpObjectAggregator {

    private final RequestRefusalHandler refusals;

    BoundedBodyAggregator(int maxBodyBytes, RequestRefusalHandler refusals) {
        // closeOnExpectationFailed: an "Expect: 100-continue" announcing too much gets 417 and the connection goes.
        super(maxBodyBytes, true);
        this.refusals = refusals;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        refusals.refuseBody();
    }
}
