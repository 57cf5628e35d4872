package lab.pgstore;

import java.io.IOException;

/** A lease write was refused because this node no longer holds its pair's active lock. */
public final class NotActiveException extends IOException {

    private static final long serialVersionUID = 1L;
    /** The SQLSTATE lease_put raises for a fenced write. */
    static final String SQLSTATE = "AP001";

    public NotActiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
