package chat.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The chat figures of one run. Every message counts towards correctness (sent, delivered, lost,
 * duplicated, out of order); only those sent inside the measurement window count towards latency
 * and throughput, so the warm-up and the drain are excluded. Updated from every event loop.
 */
final class Meter implements BenchConnection.Trouble {
  private static final int ERRORS_SHOWN = 10;

  final Latency latency = new Latency();
  /** With a {@link #slice}: the latency of the window's messages sent before it, inside it, and after it. */
  final Latency beforeSlice = new Latency();
  final Latency inSlice = new Latency();
  final Latency afterSlice = new Latency();
  private final LongAdder sent = new LongAdder();
  private final LongAdder expected = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder duplicated = new LongAdder();
  private final LongAdder outOfOrder = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder stale = new LongAdder();
  private final LongAdder sentInWindow = new LongAdder();
  private final LongAdder deliveredInWindow = new LongAdder();
  private final AtomicInteger shown = new AtomicInteger();
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;
  private volatile long sliceStart = Long.MAX_VALUE;
  private volatile long sliceEnd = Long.MAX_VALUE;

  /** Sets the measurement window, in System.nanoTime() terms; sending stops at its end. */
  void window(long start, long end) {
    windowStart = start;
    windowEnd = end;
  }

  /** A part of the window (e.g. while a storm runs) whose messages' latency is also told apart from the rest's. */
  void slice(long start, long end) {
    sliceStart = start;
    sliceEnd = end;
  }

  boolean inWindow(long t) {
    return t >= windowStart && t < windowEnd;
  }

  boolean sending(long now) {
    return now < windowEnd;
  }

  void sent(long stamp, int fanOut) {
    sent.increment();
    expected.add(fanOut);
    if (inWindow(stamp)) {
      sentInWindow.increment();
    }
  }

  void delivered(long sentNanos, long now, boolean late) {
    delivered.increment();
    if (late) {
      outOfOrder.increment();
    }
    if (inWindow(sentNanos)) {
      latency.record(now - sentNanos);
      if (sliceStart != Long.MAX_VALUE) {
        (sentNanos < sliceStart ? beforeSlice : sentNanos < sliceEnd ? inSlice : afterSlice).record(now - sentNanos);
      }
    }
    if (inWindow(now)) {
      deliveredInWindow.increment();
    }
  }

  void duplicated() {
    duplicated.increment();
  }

  void error(String what) {
    errors.increment();
    if (shown.incrementAndGet() <= ERRORS_SHOWN) {
      System.err.println("bench: " + what);
    }
  }

  @Override
  public void unexpected(BenchConnection connection, ObjectNode message) {
    error("unexpected reply: " + message);
  }

  @Override
  public void closed(BenchConnection connection) {
    error("server closed the connection of user " + (connection.user() == null ? "?" : connection.user().id));
  }

  @Override
  public void stale(BenchConnection connection, ObjectNode message) {
    stale.increment();
  }

  long sent() {
    return sent.sum();
  }

  long expected() {
    return expected.sum();
  }

  long delivered() {
    return delivered.sum();
  }

  long errors() {
    return errors.sum();
  }

  /** The figures as JSON; rates are per second of measurement window. */
  JsonObject figures(double windowSeconds) {
    long exp = expected.sum();
    long got = delivered.sum();
    return new JsonObject()
        .put("sentPerSecond", Math.round(sentInWindow.sum() / windowSeconds))
        .put("deliveredPerSecond", Math.round(deliveredInWindow.sum() / windowSeconds))
        .put("sent", sent.sum())
        .put("expectedDeliveries", exp)
        .put("delivered", got)
        .put("lost", Math.max(exp - got, 0))
        .put("duplicated", duplicated.sum())
        .put("outOfOrder", outOfOrder.sum())
        .put("errors", errors.sum())
        .put("stale", stale.sum())
        .put("latencyMicros", Latency.json(latency.total()));
  }
}
