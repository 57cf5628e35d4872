package lab.config;

/** A scalar's text does not spell a value of the expected kind; the message says what was found and what was wanted. */
public final class InvalidValueException extends Exception {

    public InvalidValueException(String message) {
        super(message);
    }
}
