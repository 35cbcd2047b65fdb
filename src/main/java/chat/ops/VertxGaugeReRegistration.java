package chat.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Micrometer's "This Gauge has been already registered" warning about Vert.x's own gauges
 * (vertx.net.client.active.connections, vertx.sql.processing.pending, …). vertx-micrometer-metrics
 * registers such a gauge again for every client and connection on purpose and keeps the value in a
 * map of its own, so nothing is lost (vert-x3/vertx-micrometer-metrics#259,
 * micrometer-metrics/micrometer#6931); Micrometer warns once per JVM all the same. The warning
 * about any other gauge, ours included, still shows.
 */
public final class VertxGaugeReRegistration extends TurboFilter {
  static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";
  private static final String VERTX_GAUGE = "This Gauge has been already registered (MeterId{name='vertx.";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    return level == Level.WARN && format != null && format.startsWith(VERTX_GAUGE) && LOGGER.equals(logger.getName())
        ? FilterReply.DENY
        : FilterReply.NEUTRAL;
  }
}
