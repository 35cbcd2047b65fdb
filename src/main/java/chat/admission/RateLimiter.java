package chat.admission;

/** A token bucket: {@code rate} requests a second on average, up to {@code burst} at once. */
public final class RateLimiter {
  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long last;

  public RateLimiter(int ratePerSecond, int burst) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = System.nanoTime();
  }

  public boolean tryAcquire() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
