package lab.dhcp.lease;

/** A journal line that cannot be turned back into a lease; the message says why. */
final class DamagedRecordException extends Exception {

    DamagedRecordException(String reason) {
        super(reason);
    }

    DamagedRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
