package chat.testing;

/** A pause between two polls of a condition (tests never assert on time, they poll with a limit). */
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
}
