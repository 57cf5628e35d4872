package lab.appliance.text;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@code %msg} through {@link PrintableText}: messages carry what VMs sent (an option 12 hostname, a
 * webhook event name, a requested path), and a line break in one would otherwise forge a log line, an escape sequence
 * drive the terminal of whoever reads the log. Stack traces are the pattern's {@code %ex}, outside the message.
 */
public final class PrintableMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return PrintableText.of(event.getFormattedMessage());
    }
}
