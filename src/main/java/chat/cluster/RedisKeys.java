package chat.cluster;

/**
 * Every Redis key and channel of one cluster, in one place. All of them start with the cluster's
 * namespace, so clusters that share a Redis server never see each other's users or messages.
 */
public final class RedisKeys {
  private final String prefix;

  /** {@code namespace}: the cluster's identity (its store's cluster id, or {@code broker.namespace}). */
  public RedisKeys(String namespace) {
    this.prefix = "chat:" + namespace + ":";
  }

  /** Sorted set of live node incarnations, scored by lease expiry (Redis server time, ms). */
  String nodes() {
    return prefix + "nodes";
  }

  /** Who has claimed a user: {@code "<incarnation> <session id>"}. */
  String presence(long userId) {
    return prefix + "presence:" + userId;
  }

  /** The pub/sub channel a node incarnation subscribes to. */
  String nodeChannel(String incarnation) {
    return prefix + "node:" + incarnation;
  }

  /** The cluster id of the store this namespace belongs to: two stores must not share one namespace. */
  String owner() {
    return prefix + "store";
  }
}
