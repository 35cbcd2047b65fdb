package chat.cluster;

import io.vertx.core.Future;

import java.util.List;

/** The other nodes of the cluster, as the router sees them. Futures complete on the caller's context. */
public interface RemoteNodes {
  /**
   * Sends a push to these users wherever they are online; completes with the users who did not get
   * it (on no node, or refused there). Never fails.
   */
  Future<List<Long>> send(List<Long> userIds, Relayed message);

  /** A single node has no other nodes. */
  RemoteNodes NONE = (userIds, message) -> Future.succeededFuture(userIds);
}
