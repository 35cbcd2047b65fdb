package chat.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** logback.xml drops Micrometer's re-registration warning for Vert.x's gauges only. */
class VertxGaugeReRegistrationTest {
  private static final String WARNING = "This Gauge has been already registered (MeterId{name='%s', tags=[]}),"
      + " the registration will be ignored. Note that subsequent logs will be logged at debug level.";

  @Test
  void vertxGaugesAreQuietOthersAreNot() {
    Logger micrometer = (Logger) LoggerFactory.getLogger(VertxGaugeReRegistration.LOGGER);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    micrometer.addAppender(seen);
    // only to this appender: the test's own warnings would read like real ones in the test output
    micrometer.setAdditive(false);
    try {
      micrometer.warn(String.format(WARNING, "vertx.net.client.active.connections"));
      micrometer.warn(String.format(WARNING, "vertx.sql.processing.pending"));
      micrometer.warn(String.format(WARNING, "chat.connections.open"));
      micrometer.warn("A MeterFilter is being configured after a Meter has been registered to this registry.");
    } finally {
      micrometer.setAdditive(true);
      micrometer.detachAppender(seen);
    }
    assertEquals(List.of(String.format(WARNING, "chat.connections.open"),
            "A MeterFilter is being configured after a Meter has been registered to this registry."),
        seen.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
  }
}
