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

  /** A push that is not kept (a receipt, typing, presence, a social event), for these users. */
  record Signal(List<Long> userIds, Relayed message) {
  }

  /**
   * Sends signals to their users wherever they are online, several to a node in one publish,
   * answered by nobody: a signal is not kept, so who missed it does not matter.
   */
  void signal(List<Signal> signals);

  /** A single node has no other nodes. */
  RemoteNodes NONE = new RemoteNodes() {
    @Override
    public Future<List<Long>> send(List<Long> userIds, Relayed message) {
      return Future.succeededFuture(userIds);
    }

    @Override
    public void signal(List<Signal> signals) {
      // nobody to tell
    }
  };
}
