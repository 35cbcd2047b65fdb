package chat.store;

/** The embedded store's file is open in another process; the message names the file and the setting that moves it. */
public final class StoreInUse extends RuntimeException {
  public StoreInUse(String message, Throwable cause) {
    super(message, cause);
  }
}
