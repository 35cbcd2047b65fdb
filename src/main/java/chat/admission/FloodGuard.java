package chat.admission;

/**
 * One connection's request rate: up to {@code limits.messagesPerSecond} on average and
 * {@code limits.messageBurst} at once; a request beyond is answered 107, and a client that keeps
 * flooding after {@link #CUT_OFF_AFTER} refusals in a row is cut off. Used on the connection's loop.
 */
public final class FloodGuard {
  /** A client that keeps flooding after this many ERROR 107 in a row is cut off. */
  static final int CUT_OFF_AFTER = 200;

  /** What to do with the next request. */
  public enum Verdict { ADMIT, REFUSE, CUT_OFF }

  private final RateLimiter rate;
  private int refusedInARow;

  public FloodGuard(int perSecond, int burst) {
    this.rate = new RateLimiter(perSecond, burst);
  }

  public Verdict next() {
    if (rate.tryAcquire()) {
      refusedInARow = 0;
      return Verdict.ADMIT;
    }
    return ++refusedInARow >= CUT_OFF_AFTER ? Verdict.CUT_OFF : Verdict.REFUSE;
  }
}
