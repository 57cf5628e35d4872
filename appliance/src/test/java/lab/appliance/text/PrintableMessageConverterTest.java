package lab.appliance.text;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;

/** The appliance's own logback.xml, loaded as at startup, prints a VM's text in one line and without escapes. */
class PrintableMessageConverterTest {

    @Test
    void aHostnameWithALineBreakAndAnEscapeStaysInItsOwnLogLine() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(PrintableMessageConverterTest.class.getResource("/logback.xml"));
        assertThat(context.getStatusManager().getCopyOfStatusList()).as("logback.xml loads cleanly")
            .noneMatch(status -> status.getLevel() >= Status.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        AsyncAppender async = (AsyncAppender) root.getAppender("ASYNC");
        ConsoleAppender<?> console = (ConsoleAppender<?>) async.getAppender("STDOUT");
        PatternLayoutEncoder encoder = (PatternLayoutEncoder) console.getEncoder();

        LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger("lab.dhcp.engine.LeaseChangeLog"),
            Level.INFO, "lease committed mac={} ip={} hostname={}", null,
            new Object[] {"02:00:00:10:00:01", "10.20.1.1", "vm\n12:00:00.000 INFO  Appliance - appliance stopped\u001b[8m"});
        String line = encoder.getLayout().doLayout(event);

        assertThat(line.lines()).hasSize(1);
        assertThat(line).endsWith("INFO  LeaseChangeLog - lease committed mac=02:00:00:10:00:01 ip=10.20.1.1 "
            + "hostname=vm\\x0a12:00:00.000 INFO  Appliance - appliance stopped\\x1b[8m" + System.lineSeparator())
            .doesNotContain("\u001b");
        context.stop();
    }
}
