package chat.bench;

/**
 * How senders send: closed loop with {@code window} messages in flight each, or open loop at one
 * message every {@code intervalNanos} each; {@code padding} makes messages bigger.
 */
record Traffic(int window, long intervalNanos, String padding) {

  /** {@code totalRate} 0 means closed loop; otherwise it is split evenly over the senders. */
  static Traffic of(int window, double totalRate, int senders, int padBytes) {
    long interval = totalRate <= 0 ? 0 : Math.max(1, Math.round(1e9 * senders / totalRate));
    return new Traffic(window, interval, "x".repeat(Math.max(padBytes, 0)));
  }

  boolean openLoop() {
    return intervalNanos > 0;
  }

  String describe() {
    return openLoop() ? "open loop" : "closed loop, window " + window;
  }
}
