package chat.server;

import chat.config.Limits;

import java.util.concurrent.TimeUnit;

/**
 * A connection's time limits: a client must send a whole request every {@code limits.idleSeconds}
 * (a trickle of bytes is no activity), finish a request within {@code limits.frameSeconds} of its
 * first byte, and take some of what waits for it every {@code limits.slowReaderSeconds}. The sweep of
 * its verticle asks; nothing here has a timer of its own. Runs on the connection's loop.
 */
final class Deadlines {
  private final long idleNanos;
  private final long frameNanos;
  private final long slowReaderNanos;
  private final Limits limits;
  /** {@link System#nanoTime()} of the last whole request (or of the accept). */
  private long lastRequest = System.nanoTime();
  /** When the request now arriving began, 0 between requests. */
  private long frameStart;

  Deadlines(Limits limits) {
    this.limits = limits;
    this.idleNanos = TimeUnit.SECONDS.toNanos(limits.idleSeconds());
    this.frameNanos = TimeUnit.SECONDS.toNanos(limits.frameSeconds());
    this.slowReaderNanos = TimeUnit.SECONDS.toNanos(limits.slowReaderSeconds());
  }

  /** A whole request arrived. */
  void requestArrived() {
    lastRequest = System.nanoTime();
    frameStart = 0;
  }

  /** Bytes of a request arrived; its deadline starts with the first of them. */
  void requestStarted() {
    if (frameStart == 0) {
      frameStart = System.nanoTime();
    }
  }

  /**
   * Why the connection should be closed now, or null: silent, a request too slow to arrive, or a
   * reader stuck since {@code stuckSince} (0: not stuck).
   */
  String overdue(long now, long stuckSince) {
    if (now - lastRequest > idleNanos) {
      return "no request for " + limits.idleSeconds() + " s";
    }
    if (frameStart != 0 && now - frameStart > frameNanos) {
      return "a request took over " + limits.frameSeconds() + " s to arrive";
    }
    if (stuckSince != 0 && now - stuckSince > slowReaderNanos) {
      return "read nothing for " + limits.slowReaderSeconds() + " s while writes waited";
    }
    return null;
  }
}
