package chat.cluster;

/** Redis keys and channels, in one place. */
public final class Addresses {
  private Addresses() {
  }

  /** Redis sorted set of live node incarnations, scored by lease expiry (Redis server time, ms). */
  public static final String NODES_KEY = "chat:nodes";

  /** Redis key holding who has claimed a user: {@code "<incarnation> <session id>"}. */
  public static String presenceKey(long userId) {
    return "chat:presence:" + userId;
  }

  /** The Redis pub/sub channel a node incarnation subscribes to. */
  public static String nodeChannel(String incarnation) {
    return "chat:node:" + incarnation;
  }
}
