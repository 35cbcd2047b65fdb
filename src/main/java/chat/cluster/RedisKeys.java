package chat.cluster;

/**
 * Every Redis key and channel of one cluster, in one place. All of them start with the cluster's
 * namespace, so clusters that share a Redis (in any mode) never see each other's users or messages.
 * No command touches two of them, so in a Redis Cluster each simply lives in its own slot (no hash
 * tags, which would pile a namespace onto one shard): users' claims and nodes' channels spread over
 * the shards. The namespace may not hold braces, so it never forms a hash tag by accident.
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

  /** A user's sessions: session id to the node incarnation holding it. */
  String presence(long userId) {
    return prefix + "presence:" + userId;
  }

  /** The pub/sub channel a node incarnation subscribes to. */
  String nodeChannel(String incarnation) {
    return prefix + "node:" + incarnation;
  }

  /** The users with sessions on a node incarnation: what to remove when it dies. */
  String nodeUsers(String incarnation) {
    return prefix + "node-users:" + incarnation;
  }

  /** Taken by the one node that removes a dead node's sessions. */
  String reaping(String incarnation) {
    return prefix + "reaping:" + incarnation;
  }

  /** The cluster id of the store this namespace belongs to: two stores must not share one namespace. */
  String owner() {
    return prefix + "store";
  }
}
