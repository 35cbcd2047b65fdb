package chat.cluster;

import io.vertx.core.Future;

import java.util.List;

/** The other nodes of the cluster, as the router sees them. Futures complete on the caller's context. */
public interface RemoteNodes {
  /**
   * A delivery to other nodes under way: {@code published} completes once every publish is handed
   * to Redis, in order (or there is nothing to publish), so a later message cannot overtake this
   * one; {@code missed} lists, in the end, the users who did not get it. Neither fails.
   */
  record Sent(Future<Void> published, Future<List<Long>> missed) {
  }

  /** Sends a push to these users wherever they are online. */
  Sent send(List<Long> userIds, Relayed message);

  /** A single node has no other nodes. */
  RemoteNodes NONE = new RemoteNodes() {
    @Override
    public Sent send(List<Long> userIds, Relayed message) {
      return new Sent(Future.succeededFuture(), Future.succeededFuture(userIds));
    }
  };
}
