package chat.bench;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How senders send: closed loop with {@code window} messages in flight each, or open loop at one
 * message every {@code intervalNanos} each; {@code padding} makes messages bigger. {@code run} tags
 * every message of this run, so that receivers tell them from messages an earlier run left stored.
 */
record Traffic(int run, int window, long intervalNanos, String padding) {

  /** {@code totalRate} 0 means closed loop; otherwise it is split evenly over the senders. */
  static Traffic of(int window, double totalRate, int senders, int padBytes) {
    long interval = totalRate <= 0 ? 0 : Math.max(1, Math.round(1e9 * senders / totalRate));
    return new Traffic(ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE), window, interval,
        "x".repeat(Math.max(padBytes, 0)));
  }

  boolean openLoop() {
    return intervalNanos > 0;
  }

  String describe() {
    return openLoop() ? "open loop" : "closed loop, window " + window;
  }
}
