package chat.cluster;

import io.vertx.core.Future;

import java.util.List;

/** The other nodes of the cluster, as the router sees them. */
public interface RemoteNodes {
  /** Tries to deliver to users on other nodes; the result lists those who did not get it. */
  Future<List<Long>> deliver(List<Long> userIds, Outbound message);

  /** Asks the nodes of these users (if online elsewhere) to drain their offline queues. */
  void notifyStored(List<Long> userIds);

  /** A single node has no other nodes. */
  RemoteNodes NONE = new RemoteNodes() {
    @Override
    public Future<List<Long>> deliver(List<Long> userIds, Outbound message) {
      return Future.succeededFuture(userIds);
    }

    @Override
    public void notifyStored(List<Long> userIds) {
    }
  };
}
