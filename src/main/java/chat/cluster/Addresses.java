package chat.cluster;

import io.vertx.core.eventbus.DeliveryOptions;

/** Event-bus addresses, in one place. */
public final class Addresses {
  /** Header on a delivery that carries no message but asks the session to drain its offline queue. */
  public static final String DRAIN_HEADER = "drain";
  /** Header on a delivery that tells the session its user now lives on another node: close. */
  public static final String KICK_HEADER = "kick";

  private Addresses() {
  }

  /** Redis sorted set of live node incarnations, scored by lease expiry (Redis server time, ms). */
  public static final String NODES_KEY = "chat:nodes";

  /** Options for a message-less signal to a session: {@link #DRAIN_HEADER} or {@link #KICK_HEADER}. */
  public static DeliveryOptions signal(String header) {
    return new DeliveryOptions().addHeader(header, "1");
  }

  /** Where the session of a user logged in on this node consumes its deliveries. */
  public static String user(long userId) {
    return "chat.user." + userId;
  }

  /** Redis key holding who has claimed a user: {@code "<incarnation> <session id>"}. */
  public static String presenceKey(long userId) {
    return "chat:presence:" + userId;
  }

  /** The Redis pub/sub channel a node incarnation subscribes to. */
  public static String nodeChannel(String incarnation) {
    return "chat:node:" + incarnation;
  }
}
