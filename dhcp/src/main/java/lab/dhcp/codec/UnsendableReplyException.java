package lab.dhcp.codec;

import io.netty.handler.codec.EncoderException;
import java.util.Objects;

/** A reply the encoder dropped, already counted under {@link #reason()}; fails the write that carried it. */
public final class UnsendableReplyException extends EncoderException {

    private final DropReason reason;

    public UnsendableReplyException(DropReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the reply could not be sent. */
    public DropReason reason() {
        return reason;
    }
}
