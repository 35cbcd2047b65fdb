package chat.client;

import chat.protocol.ErrorCode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When to try a login again that the server turned away for now: a LOGIN_ACK with errno 503 (the
 * node is busy) or 107 (too many requests from this address), which admission control answers at
 * once with a {@code retry} hint in ms (README, "Admission control"). The first pause is the hint
 * (1 s without one), each further refusal in a row doubles it, and each pause is up to half again
 * longer at random, so that clients turned away together do not come back together; a pause is
 * never longer than 10 s (unless the hint is) nor shorter than the hint. One per login attempt.
 */
final class Backoff {
  static final long DEFAULT_HINT_MILLIS = 1_000;
  static final long MAX_PAUSE_MILLIS = 10_000;
  /** The jitter: a pause is up to this share longer than its base. */
  private static final double JITTER = 0.5;

  private final int maxRetries;
  private final DoubleSupplier random;
  private int refusals;

  /** At most {@code maxRetries} pauses; then {@link #pauseAfter} says to give up. */
  Backoff(int maxRetries) {
    this(maxRetries, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** {@code random}: values in [0, 1), for the jitter. */
  Backoff(int maxRetries, DoubleSupplier random) {
    this.maxRetries = maxRetries;
    this.random = random;
  }

  /** True for an answer that turns the request away for now (errno 503 or 107): worth trying again later. */
  static boolean turnedAway(ObjectNode ack) {
    int errno = ack.path("errno").asInt();
    return errno == ErrorCode.UNAVAILABLE.errno || errno == ErrorCode.RATE_LIMITED.errno;
  }

  /**
   * The pause in ms before trying again after {@code ack}, a refusal for now; -1 when it has been
   * tried again {@code maxRetries} times already.
   */
  long pauseAfter(ObjectNode ack) {
    if (refusals >= maxRetries) {
      return -1;
    }
    long hint = ack.path("retry").asLong(0);
    long base = hint > 0 ? hint : DEFAULT_HINT_MILLIS;
    // doubled for each refusal in a row, and no longer than the jitter can stretch to the cap
    double grown = Math.min(base * Math.pow(2, Math.min(refusals, 30)), MAX_PAUSE_MILLIS / (1 + JITTER));
    refusals++;
    return Math.max(base, Math.round(grown * (1 + JITTER * random.getAsDouble())));
  }

  /** How many times the request was turned away so far. */
  int refusals() {
    return refusals;
  }

  /** What the person is told before a pause: {@code the server is busy; trying again in 1.4 s...}. */
  static String waiting(ObjectNode ack, long pauseMillis) {
    return why(ack) + "; trying again in " + seconds(pauseMillis) + "...";
  }

  /** Why the server turned the request away, in words. */
  static String why(ObjectNode ack) {
    return ack.path("errno").asInt() == ErrorCode.RATE_LIMITED.errno
        ? "too many requests from your address right now"
        : "the server is busy";
  }

  /** {@code 1.4 s}. */
  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
