package chat.testing;

/**
 * A pause between two polls of a condition (tests never assert on time, they poll with a limit), and
 * a wait for the clock's next millisecond.
 */
public final class Waits {
  private Waits() {
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns once the clock has moved past the current millisecond (so two joins get distinct times). */
  public static void nextMillisecond() {
    long now = System.currentTimeMillis();
    while (System.currentTimeMillis() <= now) {
      Thread.onSpinWait();
    }
  }
}
