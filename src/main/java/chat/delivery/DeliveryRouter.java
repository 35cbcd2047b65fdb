package chat.delivery;

import chat.cluster.RemoteNodes;
import chat.ops.ChatMetrics;
import io.vertx.core.Future;

import java.util.List;

/** Sessions on this node first (through their one entrance), then the other nodes. */
public final class DeliveryRouter implements Router {
  private static final String LOCAL = "local";
  private static final String REMOTE = "remote";
  private static final String OWED = "owed";

  private final LocalSessions sessions;
  private final RemoteNodes remote;
  private final ChatMetrics metrics;

  public DeliveryRouter(LocalSessions sessions, RemoteNodes remote, ChatMetrics metrics) {
    this.sessions = sessions;
    this.remote = remote;
    this.metrics = metrics;
  }

  @Override
  public Future<List<Long>> push(List<Long> userIds, Outbound message) {
    long start = System.nanoTime();
    return sessions.deliver(userIds, message).compose(notHere -> {
      record(LOCAL, userIds.size() - notHere.size(), start);
      if (notHere.isEmpty()) {
        return Future.succeededFuture(notHere);
      }
      return remote.send(notHere, message.relayed()).missed().map(missed -> {
        record(REMOTE, notHere.size() - missed.size(), start);
        record(OWED, missed.size(), start);
        return missed;
      });
    });
  }

  @Override
  public void signal(List<Long> userIds, Outbound message) {
    sessions.deliver(userIds, message).onSuccess(notHere -> {
      if (!notHere.isEmpty()) {
        remote.send(notHere, message.relayed());
      }
    });
  }

  private void record(String route, int recipients, long start) {
    if (recipients > 0) {
      metrics.delivered(route, recipients, start);
    }
  }
}
