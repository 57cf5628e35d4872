package lab.dns;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/** Sends a question the lab zone does not hold to an upstream server and hands back its response. */
@FunctionalInterface
interface Forwarder {

    /** The upstream's response to {@code query}, or a failure when no upstream answered in time. */
    CompletionStage<Message> forward(Message query);
}
