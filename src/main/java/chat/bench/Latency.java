package chat.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Locale;

/**
 * Latencies in microseconds, recorded wait-free from any event loop into an HdrHistogram
 * {@link Recorder}; each progress tick takes the interval's histogram and adds it to the total.
 */
final class Latency {
  /** Anything slower than ten minutes is clamped: it is a loss in all but name. */
  private static final long MAX_MICROS = 600_000_000L;

  private final Recorder recorder = new Recorder(MAX_MICROS, 3);
  private final Histogram total = new Histogram(MAX_MICROS, 3);
  private Histogram interval;

  void record(long nanos) {
    recorder.recordValue(Math.min(Math.max(nanos / 1000, 0), MAX_MICROS));
  }

  /** The values recorded since the last call (also added to the total); called from one thread. */
  Histogram interval() {
    interval = recorder.getIntervalHistogram(interval);
    total.add(interval);
    return interval;
  }

  /** Everything recorded, including what came after the last interval. */
  Histogram total() {
    interval();
    return total;
  }

  static String millis(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", h.getValueAtPercentile(percentile) / 1000.0);
  }

  static JsonObject json(Histogram h) {
    return new JsonObject()
        .put("count", h.getTotalCount())
        .put("p50", h.getValueAtPercentile(50))
        .put("p90", h.getValueAtPercentile(90))
        .put("p99", h.getValueAtPercentile(99))
        .put("p999", h.getValueAtPercentile(99.9))
        .put("max", h.getMaxValue())
        .put("mean", Math.round(h.getMean()));
  }
}
