package lab.metadata.http;

/** A boot report whose body is not the form or JSON cloud-init sends; answered 400 with the message. */
final class UnreadableReportException extends Exception {

    UnreadableReportException(String message) {
        super(message);
    }

    UnreadableReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
