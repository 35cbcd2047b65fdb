package chat.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Walks a traffic run through its phases on the calling thread (warm-up, measurement, drain) and
 * prints a progress line every second.
 */
final class Timeline {
  private Timeline() {
  }

  /** Returns when every expected delivery arrived after the window closed, or the drain timed out. */
  static void run(Meter meter, long t0, Phases phases) {
    run(meter, t0, phases, () -> "");
  }

  /** The same, each progress line followed by what {@code more} says (another load's progress). */
  static void run(Meter meter, long t0, Phases phases, Supplier<String> more) {
    long windowStart = t0 + TimeUnit.SECONDS.toNanos(phases.warmup);
    long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(phases.duration);
    long drainEnd = windowEnd + TimeUnit.SECONDS.toNanos(phases.drain);
    long second = TimeUnit.SECONDS.toNanos(1);
    long lastSent = 0;
    long lastDelivered = 0;
    long next = t0 + second;
    while (true) {
      long now = System.nanoTime();
      if ((now >= windowEnd && meter.delivered() >= meter.expected()) || now >= drainEnd) {
        return;
      }
      if (now >= next) {
        long sent = meter.sent();
        long delivered = meter.delivered();
        String phase = now <= windowStart ? "warm-up" : now <= windowEnd ? "measure" : "drain";
        System.out.printf(Locale.ROOT, "[%4ds] %-7s sent %8d/s  delivered %8d/s  p99 %s ms  in flight %d  errors %d%s%n",
            TimeUnit.NANOSECONDS.toSeconds(now - t0), phase, sent - lastSent, delivered - lastDelivered,
            Latency.millis(meter.latency.interval(), 99), meter.expected() - delivered, meter.errors(), more.get());
        lastSent = sent;
        lastDelivered = delivered;
        next += second;
      }
      sleepUntil(Math.min(next, now + TimeUnit.MILLISECONDS.toNanos(50)));
    }
  }

  static void sleepUntil(long nanoTime) {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
