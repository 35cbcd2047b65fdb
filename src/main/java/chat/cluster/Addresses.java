package chat.cluster;

/** Event-bus addresses, in one place. */
public final class Addresses {
  /** Header on a delivery that carries no message but asks the session to drain its offline queue. */
  public static final String DRAIN_HEADER = "drain";

  private Addresses() {
  }

  /** Where the session of a user logged in on this node consumes its deliveries. */
  public static String user(long userId) {
    return "chat.user." + userId;
  }
}
