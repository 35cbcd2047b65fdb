package chat.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.concurrent.atomic.LongAdder;

/**
 * The figures of {@code sync}'s SYNC load: requests, pages answered, entries read (edits and recalls
 * among them), pages that were not what the log holds (bad), and latency from the request (its scheduled time in open loop) to
 * its whole SYNC_ACK, per direction. Only requests made inside the measurement window count
 * towards latency; answers arriving inside it count towards throughput. Updated from every loop.
 */
final class SyncMeter {
  final Problems problems = new Problems();
  final Latency latency = new Latency();
  private final Latency afterLatency = new Latency();
  private final Latency beforeLatency = new Latency();
  private final LongAdder requests = new LongAdder();
  private final LongAdder answered = new LongAdder();
  private final LongAdder entries = new LongAdder();
  private final LongAdder changes = new LongAdder();
  private final LongAdder bad = new LongAdder();
  private final LongAdder answeredInWindow = new LongAdder();
  private final LongAdder entriesInWindow = new LongAdder();
  private volatile boolean stopped;
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;

  void window(long start, long end) {
    windowStart = start;
    windowEnd = end;
  }

  boolean sending(long now) {
    return now < windowEnd;
  }

  private boolean inWindow(long t) {
    return t >= windowStart && t < windowEnd;
  }

  /** The run is over: what fails from now on (the bench closing its connections) is unanswered, not bad. */
  void stop() {
    stopped = true;
  }

  boolean stopped() {
    return stopped;
  }

  void requested() {
    requests.increment();
  }

  /** A SYNC_ACK that holds {@code count} entries, all as the log has them, {@code changed} of them edits or recalls. */
  void answered(long stamp, long now, boolean after, int count, int changed) {
    answered.increment();
    entries.add(count);
    changes.add(changed);
    if (inWindow(stamp)) {
      long nanos = now - stamp;
      latency.record(nanos);
      (after ? afterLatency : beforeLatency).record(nanos);
    }
    if (inWindow(now)) {
      answeredInWindow.increment();
      entriesInWindow.add(count);
    }
  }

  /** An answer that was an error, or a page other than the log's. */
  void bad(String what) {
    answered.increment();
    bad.increment();
    problems.show(what);
  }

  long requests() {
    return requests.sum();
  }

  long answered() {
    return answered.sum();
  }

  long entries() {
    return entries.sum();
  }

  long errors() {
    return problems.errors();
  }

  JsonObject figures(double windowSeconds) {
    JsonObject figures = new JsonObject()
        .put("syncsPerSecond", Math.round(answeredInWindow.sum() / windowSeconds))
        .put("entriesPerSecond", Math.round(entriesInWindow.sum() / windowSeconds))
        .put("requests", requests.sum())
        .put("answered", answered.sum())
        .put("unanswered", requests.sum() - answered.sum())
        .put("entries", entries.sum())
        .put("changeEntries", changes.sum())
        .put("badPages", bad.sum())
        .put("errors", problems.errors())
        .put("latencyMicros", Latency.json(latency.total()));
    Histogram after = afterLatency.total();
    Histogram before = beforeLatency.total();
    if (after.getTotalCount() > 0 && before.getTotalCount() > 0) {
      figures.put("afterLatencyMicros", Latency.json(after)).put("beforeLatencyMicros", Latency.json(before));
    }
    return figures;
  }
}
