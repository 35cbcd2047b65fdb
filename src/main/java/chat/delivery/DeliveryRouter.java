package chat.delivery;

import chat.cluster.RemoteNodes;
import chat.ops.ChatMetrics;
import io.vertx.core.Future;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sessions on this node first (through their one entrance), then the other nodes: those of the
 * users no session here took, or, when a user may hold several sessions, every user's other nodes.
 */
public final class DeliveryRouter implements Router {
  private static final String LOCAL = "local";
  private static final String REMOTE = "remote";
  private static final String OWED = "owed";

  private final LocalSessions sessions;
  private final RemoteNodes remote;
  private final ChatMetrics metrics;
  private final boolean severalSessions;

  public DeliveryRouter(LocalSessions sessions, RemoteNodes remote, ChatMetrics metrics, int maxPerUser) {
    this.sessions = sessions;
    this.remote = remote;
    this.metrics = metrics;
    this.severalSessions = maxPerUser > 1;
  }

  @Override
  public Future<List<Long>> push(List<Long> userIds, Outbound message) {
    long start = System.nanoTime();
    return sessions.deliver(userIds, message).compose(notHere -> {
      record(LOCAL, userIds.size() - notHere.size(), start);
      List<Long> elsewhere = severalSessions ? userIds : notHere;
      if (elsewhere.isEmpty()) {
        return Future.succeededFuture(notHere);
      }
      return remote.send(elsewhere, message.relayed()).missed().map(missedThere -> {
        // missed: by every session of the user, here and there
        List<Long> missed = missedThere;
        if (severalSessions) {
          Set<Long> there = new HashSet<>(missedThere);
          missed = notHere.stream().filter(there::contains).toList();
        }
        record(REMOTE, elsewhere.size() - missedThere.size(), start);
        record(OWED, missed.size(), start);
        return missed;
      });
    });
  }

  @Override
  public void signal(List<Long> userIds, Outbound message) {
    sessions.deliver(userIds, message).onSuccess(notHere -> {
      List<Long> elsewhere = severalSessions ? userIds : notHere;
      if (!elsewhere.isEmpty()) {
        remote.send(elsewhere, message.relayed());
      }
    });
  }

  private void record(String route, int recipients, long start) {
    if (recipients > 0) {
      metrics.delivered(route, recipients, start);
    }
  }
}
